using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;

namespace Sync.Crdt.Storage.Postgres.Tests;

/// <summary>
/// A sync server node as a real process (<c>Sync.Crdt.Storage.Postgres.NodeHost serve</c>): Kestrel on a free loopback
/// port, the sync endpoint, the shared PostgreSQL store and its doorbell. Killed with SIGKILL, frozen with SIGSTOP, or
/// stopped gracefully by closing its standard input.
/// </summary>
public sealed class ServerNodeProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerNodeProcess(Process process, string nodeId, Uri syncUri)
    {
        _process = process;
        NodeId = nodeId;
        SyncUri = syncUri;
    }

    public string NodeId { get; }

    public Uri SyncUri { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Starts a node and waits (at most 60 s) until it listens.</summary>
    public static async Task<ServerNodeProcess> StartAsync(string schema, string nodeId, int keepaliveMilliseconds = 1000, int snapshotEveryRecords = 1000)
    {
        string host = Path.Combine(AppContext.BaseDirectory, "Sync.Crdt.Storage.Postgres.NodeHost.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string argument in (string[])[host, "serve", PostgresTestDatabase.RequiredConnectionString, schema, nodeId, keepaliveMilliseconds.ToString(CultureInfo.InvariantCulture), snapshotEveryRecords.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start)!;
        try
        {
            string? line = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            if (line is null || !line.StartsWith("listening ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"node {nodeId} did not start: '{line}'");
            }

            return new ServerNodeProcess(process, nodeId, new Uri(line["listening ".Length..]));
        }
        catch
        {
            process.Kill();
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL: no shutdown code runs in the node; its sockets are reset by the kernel.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGSTOP: the process is frozen; its sockets stay open but nothing answers (a network pause, as the
    /// clients and the database see it).</summary>
    public void Pause() => Signal("STOP");

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signal("CONT");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signal("CONT");
            _process.StandardInput.Close();
            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    private void Signal(string signal)
    {
        if (_process.HasExited)
        {
            return;
        }

        using Process kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }
}
