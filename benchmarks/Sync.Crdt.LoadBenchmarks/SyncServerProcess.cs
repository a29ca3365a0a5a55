using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;

namespace Sync.Crdt.LoadBenchmarks;

/// <summary>Starts this program in <c>--serve</c> mode as a child process and reads the port it listens on.</summary>
internal sealed class SyncServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private SyncServerProcess(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    /// <summary>Starts the single-node SQLite server (<c>--serve</c>).</summary>
    public static Task<SyncServerProcess> StartAsync()
    {
        string directory = Directory.CreateTempSubdirectory("sync-crdt-load-").FullName;
        return StartAsync(directory, ["--serve", Path.Combine(directory, "documents.db")]);
    }

    /// <summary>Starts one node of the PostgreSQL run (<c>--serve-postgres</c>).</summary>
    public static Task<SyncServerProcess> StartPostgresAsync(string connectionString, string schema, string nodeId) =>
        StartAsync(Directory.CreateTempSubdirectory("sync-crdt-load-").FullName, ["--serve-postgres", connectionString, schema, nodeId]);

    private static async Task<SyncServerProcess> StartAsync(string directory, string[] arguments)
    {
        string self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var info = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server process");
        string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (line is null || !line.StartsWith("ready ", StringComparison.Ordinal))
        {
            process.Kill();
            throw new InvalidOperationException($"server process did not start: {line}");
        }

        return new SyncServerProcess(process, directory, int.Parse(line["ready ".Length..], CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(10_000))
            {
                _process.Kill();
            }
        }
        finally
        {
            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
