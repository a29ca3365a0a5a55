using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Sets;
using Sync.Crdt.Storage.Sqlite;

namespace Sync.Crdt.Benchmarks.Storage;

/// <summary>
/// Durable commits from 1, 16 and 256 concurrent writers: 256 commits per invocation, so Mean is the time per commit
/// (commits/s = 1 / Mean) and a writer's latency per commit is Mean × Writers. Floors in the same run: the same bytes
/// inserted raw through one connection with the same settings (WAL, same synchronous level), all in one transaction
/// (the lower bound) and one transaction per insert (what a store without group commit pays).
/// </summary>
[MemoryDiagnoser]
public class GroupCommitBenchmarks
{
    private const int Commits = 256;
    private static readonly byte[] Payload = CreatePayload();
    private static readonly ReplicatedKey<ORSet<string>> Tags = new("tags");
    private string _directory = string.Empty;
    private SqliteDocumentStore _store = null!;
    private DurableReplica _replica = null!;
    private SqliteConnection _raw = null!;
    private SqliteCommand _insert = null!;
    private readonly Lock _rawGate = new();
    private int _tag;

    [Params(1, 16, 256)]
    public int Writers { get; set; }

    [Params(SqliteDurability.Full, SqliteDurability.Normal)]
    public SqliteDurability Durability { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "sync-crdt-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _store = SqliteDocumentStore.Open(Path.Combine(_directory, "store.db"), new SqliteDocumentStoreOptions { Durability = Durability });
        var serializer = new ReplicationSerializer([ReplicatedValueFormat.Create(CrdtCodecs.ORSet(CrdtCodecs.String))]);
        _replica = DurableReplica.OpenAsync(_store, "replica", "bench", serializer, static (_, _) => { }).GetAwaiter().GetResult();
        _replica.DefineAsync(Tags, ORSet<string>.Empty).GetAwaiter().GetResult();

        _raw = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_directory, "raw.db"), Pooling = false }.ToString());
        _raw.Open();
        Execute($"PRAGMA journal_mode=WAL; PRAGMA synchronous={(Durability == SqliteDurability.Full ? "FULL" : "NORMAL")}; CREATE TABLE records (document INTEGER NOT NULL, position INTEGER NOT NULL, payload BLOB NOT NULL, PRIMARY KEY (document, position)) STRICT;");
        _insert = _raw.CreateCommand();
        _insert.CommandText = "INSERT INTO records (document, position, payload) VALUES (1, $p, $b)";
        _insert.Parameters.Add(new SqliteParameter("$p", 0L));
        _insert.Parameters.Add(new SqliteParameter("$b", Payload));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _replica.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _insert.Dispose();
        _raw.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Floor: the same bytes inserted raw, all 256 in one transaction.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Commits)]
    public void RawInsertsOneTransaction()
    {
        using SqliteTransaction transaction = _raw.BeginTransaction();
        _insert.Transaction = transaction;
        for (int i = 0; i < Commits; i++)
        {
            _insert.Parameters[0].Value = NextPosition();
            _insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>Without group commit: the writers take turns on the connection, one transaction (one sync) per insert.</summary>
    [Benchmark(OperationsPerInvoke = Commits)]
    public Task RawInsertsTransactionEach() => RunWriters(() =>
    {
        lock (_rawGate)
        {
            using SqliteTransaction transaction = _raw.BeginTransaction();
            _insert.Transaction = transaction;
            _insert.Parameters[0].Value = NextPosition();
            _insert.ExecuteNonQuery();
            transaction.Commit();
        }

        return Task.CompletedTask;
    });

    /// <summary>The store: each writer commits one record at a time to its own document; concurrent commits share transactions.</summary>
    [Benchmark(OperationsPerInvoke = Commits)]
    public Task StoreCommits() => RunWriters(writer => _store.CommitAsync(new DocumentCommit("doc-" + writer) { Appends = [Payload] }));

    /// <summary>The whole stack: a durable replica's acknowledged updates (an ORSet add each), from concurrent writers.</summary>
    [Benchmark(OperationsPerInvoke = Commits)]
    public Task ReplicaUpdates() => RunWriters(_ =>
    {
        string tag = "t" + Interlocked.Increment(ref _tag).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return _replica.UpdateAsync(Tags, (set, me, out delta) => set.Add(me, tag, out delta));
    });

    private static byte[] CreatePayload()
    {
        byte[] bytes = new byte[96];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    private Task RunWriters(Func<Task> commit) => RunWriters(_ => commit());

    private Task RunWriters(Func<int, Task> commit)
    {
        int perWriter = Commits / Writers;
        return Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (int i = 0; i < perWriter; i++)
            {
                await commit(writer).ConfigureAwait(false);
            }
        })));
    }

    private long _position;

    private long NextPosition() => Interlocked.Increment(ref _position);

    private void Execute(string sql)
    {
        using SqliteCommand command = _raw.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
