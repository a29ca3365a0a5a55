using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace Sync.Crdt.LoadBenchmarks;

/// <summary>
/// CPU time of the PostgreSQL cluster eng/postgres.sh started (SYNC_CRDT_PGDATA): the postmaster and every child
/// (backends, WAL writer, checkpointer), read from /proc. Backends that ended between two reads are missed, so the
/// figure is a lower bound; the benchmark's connections are pooled and long-lived, so it is close.
/// </summary>
internal static class PostgresProcesses
{
    /// <summary>Whether the cluster's processes can be found (a local cluster started by eng/postgres.sh).</summary>
    public static bool Available => Postmaster() is not null;

    public static double CpuSeconds()
    {
        if (Postmaster() is not { } postmaster)
        {
            return double.NaN;
        }

        double total = 0;
        foreach (int pid in Children(postmaster).Append(postmaster))
        {
            try
            {
                total += ProcessStats.Read(pid).CpuSeconds;
            }
            catch (IOException)
            {
                // Ended meanwhile.
            }
        }

        return total;
    }

    private static int? Postmaster()
    {
        string? data = Environment.GetEnvironmentVariable("SYNC_CRDT_PGDATA");
        string pidFile = data is null ? string.Empty : Path.Combine(data, "postmaster.pid");
        return File.Exists(pidFile) ? int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture) : null;
    }

    private static IEnumerable<int> Children(int parent)
    {
        var children = new List<int>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                if (int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture) == parent)
                {
                    children.Add(pid);
                }
            }
            catch (IOException)
            {
            }
        }

        return children;
    }
}
