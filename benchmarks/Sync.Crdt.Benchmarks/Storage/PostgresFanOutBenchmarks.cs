using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Npgsql;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Storage.Postgres;

namespace Sync.Crdt.Benchmarks.Storage;

/// <summary>
/// Scale-out on one PostgreSQL: acknowledged commits per second and cross-node propagation latency with 1, 2 and 3
/// store instances ("nodes", each with its own connection pool and listener), for both NOTIFY placements, beside the
/// in-process floor (<see cref="NotifyingDocumentStore"/> over <see cref="InMemoryDocumentStore"/>: no disk, no network).
/// </summary>
/// <remarks>
/// Needs SYNC_CRDT_POSTGRES (run <c>eval "$(eng/postgres.sh start)"</c> first). <see cref="ConcurrentCommits"/>
/// reports the time per acknowledged commit with 16 writers on 16 documents spread over the nodes (commits/s = 1 / mean).
/// <see cref="CommitAndPropagate"/> commits one record on node k and waits until node k + 1's follower has read it
/// (one node: the same node's follower); besides BenchmarkDotNet's per-iteration statistics it records every
/// operation's latency and writes p50/p99 to <c>BenchmarkDotNet.Artifacts/results/postgres-propagation-percentiles.md</c>.
/// </remarks>
public class PostgresFanOutBenchmarks
{
    private const int Writers = 16;
    private const int CommitsPerWriter = 4;
    private static readonly byte[] Payload = new byte[100];

    private readonly List<IDocumentStore> _stores = [];
    private readonly List<DocumentLogFollower> _followers = [];
    private readonly List<double> _latencies = [];
    private long[] _seen = [];
    private SemaphoreSlim[] _arrived = [];
    private long[] _heads = [];
    private string _schema = string.Empty;
    private long _propagationHead;
    private int _next;

    /// <summary>Gets or sets the setup: the in-process floor, or PostgreSQL with N nodes and a NOTIFY placement.</summary>
    [Params("memory", "pg-1-after", "pg-2-after", "pg-3-after", "pg-1-intx", "pg-2-intx", "pg-3-intx")]
    public string Setup { get; set; } = "memory";

    // Synchronous wrappers: not every BenchmarkDotNet toolchain awaits an asynchronous setup (the in-process one does not).
    [GlobalSetup]
    public void GlobalSetup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void GlobalCleanup() => CleanupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        if (Setup == "memory")
        {
            _stores.Add(new NotifyingDocumentStore(new InMemoryDocumentStore()));
        }
        else
        {
            string connection = Environment.GetEnvironmentVariable("SYNC_CRDT_POSTGRES") is { Length: > 0 } value
                ? value
                : throw new InvalidOperationException("PostgresFanOutBenchmarks needs SYNC_CRDT_POSTGRES: run eval \"$(eng/postgres.sh start)\" first.");
            string[] parts = Setup.Split('-');
            int nodes = int.Parse(parts[1], CultureInfo.InvariantCulture);
            PostgresNotifyMode mode = parts[2] == "intx" ? PostgresNotifyMode.InTransaction : PostgresNotifyMode.AfterCommit;
            _schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
            for (int i = 0; i < nodes; i++)
            {
                _stores.Add(await PostgresDocumentStore.OpenAsync(new PostgresDocumentStoreOptions { ConnectionString = connection, Schema = _schema, NodeId = $"bench-{i}", NotifyMode = mode }));
            }
        }

        _seen = new long[_stores.Count];
        _arrived = [.. _stores.Select(_ => new SemaphoreSlim(0))];
        for (int i = 0; i < _stores.Count; i++)
        {
            int index = i;
            var feed = (IDocumentChangeFeed)_stores[i];
            _followers.Add(new DocumentLogFollower(
                _stores[i],
                feed,
                "propagation",
                0,
                (records, _) =>
                {
                    Volatile.Write(ref _seen[index], records[^1].Position);
                    _arrived[index].Release();
                    return ValueTask.CompletedTask;
                },
                (document, _) => ValueTask.CompletedTask,
                new DocumentLogFollowerOptions { PollInterval = Timeout.InfiniteTimeSpan }));
            if (_stores[i] is PostgresDocumentStore postgres)
            {
                await postgres.WaitForListenerAsync();
            }
        }

        _heads = new long[Writers];
    }

    private async Task CleanupAsync()
    {
        foreach (DocumentLogFollower follower in _followers)
        {
            await follower.DisposeAsync();
        }

        foreach (IDocumentStore store in _stores)
        {
            await store.DisposeAsync();
        }

        if (_schema.Length > 0)
        {
            await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("SYNC_CRDT_POSTGRES"));
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP SCHEMA \"{_schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }

        WritePercentiles();
    }

    /// <summary>16 writers, each on its own document and node k mod N, commit 4 single-record commits each, one after the other.</summary>
    [Benchmark(OperationsPerInvoke = Writers * CommitsPerWriter)]
    public Task ConcurrentCommits() => Task.WhenAll(Enumerable.Range(0, Writers).Select(WriteAsync));

    /// <summary>One commit on node k, until node k + 1 has read it from the log (woken by the feed).</summary>
    [Benchmark]
    public async Task CommitAndPropagate()
    {
        int writer = _next++ % _stores.Count;
        int reader = (writer + 1) % _stores.Count;
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        CommitResult result = await _stores[writer].CommitAsync(new DocumentCommit("propagation") { Appends = [Payload], ExpectedHead = _propagationHead });
        _propagationHead = result.Head;
        while (Volatile.Read(ref _seen[reader]) < result.Head)
        {
            await _arrived[reader].WaitAsync();
        }

        _latencies.Add(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private async Task WriteAsync(int writer)
    {
        IDocumentStore store = _stores[writer % _stores.Count];
        string document = "commits-" + writer.ToString(CultureInfo.InvariantCulture);
        for (int i = 0; i < CommitsPerWriter; i++)
        {
            _heads[writer] = (await store.CommitAsync(new DocumentCommit(document) { Appends = [Payload] })).Head;
        }
    }

    private void WritePercentiles()
    {
        if (_latencies.Count == 0)
        {
            return;
        }

        double[] sorted = [.. _latencies.Order()];
        double P(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        string line = string.Create(CultureInfo.InvariantCulture, $"| {Setup} | {sorted.Length} | {P(0.50):F3} | {P(0.99):F3} | {sorted[^1]:F3} |");
        Console.WriteLine($"// propagation latency ms (setup | n | p50 | p99 | max): {line}");
        string directory = Path.Combine("BenchmarkDotNet.Artifacts", "results");
        Directory.CreateDirectory(directory);
        string file = Path.Combine(directory, "postgres-propagation-percentiles.md");
        if (!File.Exists(file))
        {
            File.WriteAllText(file, "| Setup | Operations | p50 (ms) | p99 (ms) | max (ms) |\n|---|---|---|---|---|\n");
        }

        File.AppendAllText(file, line + "\n");
        _latencies.Clear();
    }
}
