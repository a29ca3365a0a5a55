using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Sync.Crdt.LoadBenchmarks;

/// <summary>
/// Runs the same <see cref="LoadProfile"/> against Hocuspocus with real Yjs clients through
/// <c>benchmarks/peers/hocuspocus-load.mjs</c> (Node; install once with <c>(cd benchmarks/peers &amp;&amp; npm ci)</c>).
/// </summary>
internal static class PeerLoadRun
{
    public static async Task<LoadResult> RunAsync(LoadProfile profile)
    {
        string peers = Path.Combine(FindRepositoryRoot(), "benchmarks", "peers");
        if (!Directory.Exists(Path.Combine(peers, "node_modules", "@hocuspocus")))
        {
            throw new InvalidOperationException($"the peer is not installed: run (cd {peers} && npm ci)");
        }

        var info = new ProcessStartInfo("node") { WorkingDirectory = peers, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("hocuspocus-load.mjs");
        foreach (string argument in profile.ToArguments().Split(' '))
        {
            info.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(info) ?? throw new InvalidOperationException("could not start node");
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        string? line = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
        if (process.ExitCode != 0 || line is null)
        {
            throw new InvalidOperationException($"the peer run failed (exit {process.ExitCode}): {output}");
        }

        using JsonDocument json = JsonDocument.Parse(line);
        JsonElement r = json.RootElement;
        return new LoadResult(
            r.GetProperty("server").GetString()!,
            r.GetProperty("steadyUpdatesPerSecond").GetDouble(),
            r.GetProperty("p50Ms").GetDouble(),
            r.GetProperty("p99Ms").GetDouble(),
            r.GetProperty("latencySamples").GetInt64(),
            r.GetProperty("burstUpdatesPerSecond").GetDouble(),
            r.GetProperty("burstComplete").GetBoolean(),
            r.GetProperty("serverCpuSecondsPerSecondSteady").GetDouble(),
            r.GetProperty("clientCpuSecondsPerSecondSteady").GetDouble(),
            r.GetProperty("serverRssIdleBytes").GetInt64(),
            r.GetProperty("serverRssLoadedBytes").GetInt64(),
            r.GetProperty("serverBytesPerConnection").GetDouble());
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sync.Crdt.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("run from inside the repository (Sync.Crdt.sln not found above the program)");
    }
}
