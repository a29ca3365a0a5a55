using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;

namespace Sync.Crdt.Storage.Postgres.Tests;

/// <summary>
/// Fault injection on the throwaway cluster eng/postgres.sh started (SYNC_CRDT_PGDATA): restart it, pause every one of its
/// processes (SIGSTOP/SIGCONT, as a network stall would look to a client), terminate chosen backends.
/// </summary>
public static class PostgresCluster
{
    public const string SkipReason = "needs a throwaway PostgreSQL cluster this test may restart and pause: run eval \"$(eng/postgres.sh start)\" in this shell first (eng/postgres.sh stop when done); .ci/run does this";

    public static string? DataDirectory { get; } = Environment.GetEnvironmentVariable("SYNC_CRDT_PGDATA") is { Length: > 0 } data && File.Exists(Path.Combine(data, "PG_VERSION")) ? data : null;

    /// <summary>Runs <c>eng/postgres.sh restart</c> (fast shutdown: every client connection is dropped, then the server starts again).</summary>
    public static async Task RestartAsync()
    {
        string script = Path.Combine(RepositoryRoot(), "eng", "postgres.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add("restart");
        start.ArgumentList.Add("fast");
        using Process process = Process.Start(start)!;
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"eng/postgres.sh restart failed ({process.ExitCode}): {error}");
        }
    }

    /// <summary>Stops the postmaster and all its backends with SIGSTOP for <paramref name="pause"/>, then continues them.</summary>
    public static async Task PauseAsync(TimeSpan pause, Func<Task>? whilePaused = null)
    {
        List<int> pids = ClusterProcesses();
        Signal("STOP", pids);
        try
        {
            Task delay = Task.Delay(pause);
            if (whilePaused is not null)
            {
                await whilePaused();
            }

            await delay;
        }
        finally
        {
            Signal("CONT", pids);
        }
    }

    /// <summary>Terminates the backends whose application_name is <paramref name="applicationName"/> (pg_terminate_backend); returns how many.</summary>
    public static async Task<int> TerminateAsync(string applicationName)
    {
        await using var connection = new NpgsqlConnection(PostgresTestDatabase.RequiredConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = applicationName });
        return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static List<int> ClusterProcesses()
    {
        string data = DataDirectory ?? throw new InvalidOperationException(SkipReason);
        int postmaster = int.Parse(File.ReadLines(Path.Combine(data, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
        var pids = new List<int> { postmaster };
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so parse after the last ')'.
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == postmaster)
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended meanwhile.
            }
        }

        return pids;
    }

    private static void Signal(string signal, List<int> pids)
    {
        var start = new ProcessStartInfo("kill");
        start.ArgumentList.Add("-" + signal);
        foreach (int pid in pids)
        {
            start.ArgumentList.Add(pid.ToString(CultureInfo.InvariantCulture));
        }

        using Process process = Process.Start(start)!;
        process.WaitForExit();
    }

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "eng", "postgres.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("eng/postgres.sh not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>A fact that restarts or pauses the test cluster: skipped unless eng/postgres.sh started one (SYNC_CRDT_PGDATA).</summary>
public sealed class PostgresClusterFactAttribute : Xunit.FactAttribute
{
    public PostgresClusterFactAttribute()
    {
        if (PostgresTestDatabase.ConnectionString is null || PostgresCluster.DataDirectory is null)
        {
            Skip = PostgresCluster.SkipReason;
        }
    }
}

/// <summary>Tests that restart or pause the shared cluster run alone, after the others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterFaultCollection
{
    public const string Name = "PostgreSQL cluster faults";
}
