using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.LoadBenchmarks;

// Load benchmark for the sync server, side by side with Hocuspocus driven by real Yjs clients, same profile, same run.
// Usage: dotnet run -c Release --project benchmarks/Sync.Crdt.LoadBenchmarks -- [--connections 500] [--documents 50]
//        [--rate 2] [--seconds 20] [--burst 20] [--seed 42] [--peer hocuspocus|none]
// Loopback only; see docs/benchmarks.md ("Sync server under load").
// PostgreSQL scale-out (issue 13): add --postgres "<connection string>" [--nodes 1,2,3] to run, after the single-node
// SQLite server, the same profile on 1, 2 and 3 server nodes sharing that PostgreSQL (clients spread over the nodes,
// latency measured across nodes); see docs/scale-out.md.
if (args.Length == 2 && args[0] == "--serve")
{
    return await ServerMode.RunAsync(args[1]);
}

if (args.Length == 4 && args[0] == "--serve-postgres")
{
    return await PostgresServerMode.RunAsync(args[1], args[2], args[3]);
}

LoadProfile profile = LoadProfile.Parse(args);
int peerIndex = Array.IndexOf(args, "--peer");
int postgresIndex = Array.IndexOf(args, "--postgres");
string? postgres = postgresIndex >= 0 ? args[postgresIndex + 1] : null;
int nodesIndex = Array.IndexOf(args, "--nodes");
int[] nodeCounts = nodesIndex >= 0 ? [.. args[nodesIndex + 1].Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))] : [1, 2, 3];
bool runPeer = peerIndex < 0 ? postgres is null : args[peerIndex + 1] != "none";
Console.WriteLine($"profile: {profile.ToArguments()}; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
LoadResult ours = await SyncLoadRun.RunAsync(profile);
Print(ours);
if (postgres is not null)
{
    var rows = new List<(int Nodes, LoadResult Result)> { (0, ours) };
    foreach (int nodes in nodeCounts)
    {
        string schema = "load_" + Guid.NewGuid().ToString("N")[..12];
        var servers = new List<SyncServerProcess>();
        try
        {
            for (int i = 0; i < nodes; i++)
            {
                servers.Add(await SyncServerProcess.StartPostgresAsync(postgres, schema, $"load-node-{i}"));
            }

            string label = string.Create(CultureInfo.InvariantCulture, $"Sync.Crdt, {nodes} node(s) on one PostgreSQL ({(nodes > 1 ? "latency across nodes" : "same node")})");
            LoadResult result = await SyncLoadRun.RunAsync(profile, servers, label, PostgresProcesses.CpuSeconds);
            Print(result);
            rows.Add((nodes, result));
        }
        finally
        {
            foreach (SyncServerProcess server in servers)
            {
                server.Dispose();
            }
        }
    }

    Console.WriteLine();
    Console.WriteLine("| setup | acknowledged + observed upd/s (steady) | propagation p50 | p99 | burst upd/s | node CPU (cores, all nodes) | PostgreSQL CPU (cores) | client CPU (cores) |");
    Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
    foreach ((int nodes, LoadResult r) in rows)
    {
        string setup = nodes == 0 ? "1 node, SQLite (embedded)" : string.Create(CultureInfo.InvariantCulture, $"{nodes} node(s), PostgreSQL");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {setup} | {r.SteadyUpdatesPerSecond:F0} | {r.P50Ms:F1} ms | {r.P99Ms:F1} ms | {r.BurstUpdatesPerSecond:F0}{(r.BurstComplete ? "" : " (INCOMPLETE)")} | {r.ServerCpuPerSecond:F2} | {(double.IsNaN(r.DatabaseCpuPerSecond) ? "-" : r.DatabaseCpuPerSecond.ToString("F2", CultureInfo.InvariantCulture))} | {r.ClientCpuPerSecond:F2} |"));
    }

    Console.WriteLine("Where the bottleneck sits: compare node CPU and PostgreSQL CPU with the cores available, and the burst rate with the commit rate in docs/scale-out.md.");
}

if (runPeer)
{
    LoadResult peer = await PeerLoadRun.RunAsync(profile);
    Print(peer);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratios (ours / peer): steady {ours.SteadyUpdatesPerSecond / peer.SteadyUpdatesPerSecond:F2}x, burst {ours.BurstUpdatesPerSecond / peer.BurstUpdatesPerSecond:F2}x, p50 {ours.P50Ms / peer.P50Ms:F2}, p99 {ours.P99Ms / peer.P99Ms:F2} (lower is better), server CPU {ours.ServerCpuPerSecond / peer.ServerCpuPerSecond:F2}, server bytes/connection {ours.ServerBytesPerConnection / peer.ServerBytesPerConnection:F2}"));
}

return 0;

static void Print(LoadResult r) => Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"| {r.Server} | {r.SteadyUpdatesPerSecond:F0} upd/s | p50 {r.P50Ms:F1} ms | p99 {r.P99Ms:F1} ms ({r.LatencySamples} samples) | burst {r.BurstUpdatesPerSecond:F0} upd/s{(r.BurstComplete ? "" : " (INCOMPLETE)")} | server CPU {r.ServerCpuPerSecond:F2} cores | client CPU {r.ClientCpuPerSecond:F2} cores | server RSS {r.ServerRssIdle / 1048576.0:F0} -> {r.ServerRssLoaded / 1048576.0:F0} MiB, {r.ServerBytesPerConnection / 1024:F1} KiB/connection |"));
