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
if (args.Length == 2 && args[0] == "--serve")
{
    return await ServerMode.RunAsync(args[1]);
}

LoadProfile profile = LoadProfile.Parse(args);
int peerIndex = Array.IndexOf(args, "--peer");
bool runPeer = peerIndex < 0 || args[peerIndex + 1] != "none";
Console.WriteLine($"profile: {profile.ToArguments()}; {Environment.ProcessorCount} cores; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
LoadResult ours = await SyncLoadRun.RunAsync(profile);
Print(ours);
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
