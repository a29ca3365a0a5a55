using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Causality;
using Sync.Crdt.Client;

namespace Sync.Crdt.LoadBenchmarks;

/// <summary>Runs a <see cref="LoadProfile"/> against the Sync.Crdt server (a child process) with Sync.Crdt clients.</summary>
internal static class SyncLoadRun
{
    public static async Task<LoadResult> RunAsync(LoadProfile profile)
    {
        using SyncServerProcess server = await SyncServerProcess.StartAsync();
        return await RunAsync(profile, [server], "Sync.Crdt server (SQLite, synchronous=FULL, acks after commit)", static () => double.NaN);
    }

    /// <summary>
    /// Runs the profile against <paramref name="servers"/> (nodes sharing one store): document d's writers connect to
    /// node d mod n and its observer to node (d + 1) mod n, so with two or more nodes every measured latency is a
    /// cross-node propagation (edit, commit on the writer's node, doorbell, read and forward by the observer's node).
    /// </summary>
    public static async Task<LoadResult> RunAsync(LoadProfile profile, IReadOnlyList<SyncServerProcess> servers, string label, Func<double> databaseCpuSeconds)
    {
        Uri UriOf(int node) => new($"ws://127.0.0.1:{servers[node % servers.Count].Port}/sync");
        ProcessStats idle = Sum(servers);
        var recorder = new LatencyRecorder();
        var clients = new List<CrdtSyncClient>();
        try
        {
            var observers = new List<Observer>();
            for (int d = 0; d < profile.Documents; d++)
            {
                CrdtSyncClient client = Connect(UriOf(d + 1), $"o{d}", clients);
                observers.Add(new Observer(await client.OpenTextAsync($"doc-{d}"), recorder));
            }

            var writers = new List<Writer>();
            for (int c = 0; c < profile.Connections; c++)
            {
                ReplicaId replica = $"w{c}";
                CrdtSyncClient client = Connect(UriOf(c % profile.Documents), replica.ToString(), clients);
                writers.Add(new Writer(replica, await client.OpenTextAsync($"doc-{c % profile.Documents}"), recorder, new Random(profile.Seed + c)));
            }

            using (var synced = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
            {
                await Task.WhenAll(observers.Select(o => o.Document.WaitForSyncedAsync(synced.Token))
                    .Concat(writers.Select(w => w.Document.WaitForSyncedAsync(synced.Token))));
            }

            ProcessStats loaded = Sum(servers);

            // Steady state at typing rates; the first second is warm-up.
            double interval = 1000 / profile.Rate;
            using var stop = new CancellationTokenSource();
            Task[] typists = writers.Select(w => TypeAsync(w, interval, stop.Token)).ToArray();
            await Task.Delay(1000);
            recorder.Counting = true;
            long observedAtStart = recorder.Observed;
            long start = Stopwatch.GetTimestamp();
            ProcessStats serverStart = Sum(servers);
            double databaseStart = databaseCpuSeconds();
            TimeSpan clientStart = Process.GetCurrentProcess().TotalProcessorTime;
            await Task.Delay(TimeSpan.FromSeconds(profile.Seconds));
            double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            long steadyObserved = recorder.Observed - observedAtStart;
            double serverCpu = Sum(servers).CpuSeconds - serverStart.CpuSeconds;
            double databaseCpu = databaseCpuSeconds() - databaseStart;
            double clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - clientStart).TotalSeconds;
            recorder.Counting = false;
            await stop.CancelAsync();
            await Task.WhenAll(typists);
            await Task.Delay(2000);
            (double p50, double p99, int samples) = recorder.Percentiles();

            // Burst: everyone types at once.
            long burstTotal = (long)writers.Count * profile.Burst;
            long burstBase = recorder.Observed;
            long burstStart = Stopwatch.GetTimestamp();
            foreach (Writer writer in writers)
            {
                for (int i = 0; i < profile.Burst; i++)
                {
                    writer.Edit();
                }
            }

            long deadline = burstStart + (120 * Stopwatch.Frequency);
            while (recorder.Observed - burstBase < burstTotal && Stopwatch.GetTimestamp() < deadline)
            {
                await Task.Delay(5);
            }

            long burstObserved = recorder.Observed - burstBase;
            double burstSeconds = Stopwatch.GetElapsedTime(burstStart, recorder.LastObservation).TotalSeconds;
            return new LoadResult(
                label,
                steadyObserved / elapsed,
                p50,
                p99,
                samples,
                burstObserved / burstSeconds,
                burstObserved == burstTotal,
                serverCpu / elapsed,
                clientCpu / elapsed,
                idle.RssBytes,
                loaded.RssBytes,
                (double)(loaded.RssBytes - idle.RssBytes) / (profile.Connections + profile.Documents),
                databaseCpu / elapsed);
        }
        finally
        {
            foreach (CrdtSyncClient client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static ProcessStats Sum(IReadOnlyList<SyncServerProcess> servers)
    {
        ProcessStats total = default;
        foreach (SyncServerProcess server in servers)
        {
            ProcessStats one = ProcessStats.Read(server.Pid);
            total = new ProcessStats(total.CpuSeconds + one.CpuSeconds, total.RssBytes + one.RssBytes);
        }

        return total;
    }

    private static CrdtSyncClient Connect(Uri uri, string replica, List<CrdtSyncClient> clients)
    {
        var client = new CrdtSyncClient(new CrdtSyncClientOptions { ServerUri = uri, Replica = replica });
        clients.Add(client);
        client.Start();
        return client;
    }

    private static async Task TypeAsync(Writer writer, double intervalMs, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(writer.Random.NextDouble() * intervalMs), cancellationToken);
            while (!cancellationToken.IsCancellationRequested)
            {
                writer.Edit();
                await Task.Delay(TimeSpan.FromMilliseconds(intervalMs * (0.5 + writer.Random.NextDouble())), cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A typing client: one socket, one document.</summary>
    private sealed class Writer(ReplicaId replica, TextSyncDocument document, LatencyRecorder recorder, Random random)
    {
        private readonly Lock _gate = new();

        public TextSyncDocument Document { get; } = document;

        public Random Random { get; } = random;

        public void Edit()
        {
            lock (_gate)
            {
                recorder.Sent(replica, Document.StateVector[replica]);
                Document.Insert(Random.Next(Document.Length + 1), "x");
            }
        }
    }

    /// <summary>A listening client per document: sees each character once, when its state vector first covers it.</summary>
    private sealed class Observer
    {
        private readonly LatencyRecorder _recorder;
        private readonly Lock _gate = new();
        private VersionVector _seen = VersionVector.Empty;

        public Observer(TextSyncDocument document, LatencyRecorder recorder)
        {
            Document = document;
            _recorder = recorder;
            document.Changed += (_, _) => OnChanged();
        }

        public TextSyncDocument Document { get; }

        private void OnChanged()
        {
            lock (_gate)
            {
                long now = Stopwatch.GetTimestamp();
                VersionVector vector = Document.StateVector;
                foreach (Dot dot in vector)
                {
                    for (long clock = _seen[dot.Replica]; clock < dot.Counter; clock++)
                    {
                        _recorder.Seen(dot.Replica, clock, now);
                    }
                }

                _seen = vector;
            }
        }
    }
}
