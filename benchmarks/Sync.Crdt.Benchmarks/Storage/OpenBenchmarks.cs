using System;
using System.Globalization;
using System.IO;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Maps;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Storage.Sqlite;

namespace Sync.Crdt.Benchmarks.Storage;

/// <summary>
/// Opening a durable replica: a 100k-key map in the snapshot plus a 10k-entry log (open = load the snapshot, replay the
/// log, commit a new incarnation). The setup prints the bytes on disk next to the encoded state's bytes (look for
/// "STORAGE-SIZE" in the log). Floor in the same run: decoding the snapshot alone.
/// </summary>
[MemoryDiagnoser]
public class OpenBenchmarks
{
    private const int Keys = 100_000;
    private const int LogEntries = 10_000;
    private static readonly ReplicatedKey<LWWMap<string, long>> Map = new("map");
    private static readonly ReplicationSerializer Serializer = new([ReplicatedValueFormat.Create(CrdtCodecs.LWWMap(CrdtCodecs.String, CrdtCodecs.Int64))]);
    private readonly DurableReplicaOptions _options = new() { MinCompactionBytes = long.MaxValue };
    private string _directory = string.Empty;
    private string _path = string.Empty;
    private byte[] _snapshot = [];

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "sync-crdt-open-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _path = Path.Combine(_directory, "replica.db");
        var clock = new LamportClock();
        SqliteDocumentStore store = SqliteDocumentStore.Open(_path, new SqliteDocumentStoreOptions { Durability = SqliteDurability.Normal });
        {
            DurableReplica replica = DurableReplica.OpenAsync(store, "doc", "bench", Serializer, static (_, _) => { }, _options).GetAwaiter().GetResult();
            replica.DefineAsync(Map, LWWMap<string, long>.Empty).GetAwaiter().GetResult();
            replica.UpdateAsync(Map, (map, me, out delta) =>
            {
                LWWMap<string, long>.Builder builder = map.ToBuilder();
                for (int i = 0; i < Keys; i++)
                {
                    builder.Put(me, "key-" + i.ToString("D6", CultureInfo.InvariantCulture), i, clock);
                }

                delta = builder.ToImmutable();
                return delta;
            }).GetAwaiter().GetResult();
            replica.CompactAsync().GetAwaiter().GetResult();
            for (int i = 0; i < LogEntries; i++)
            {
                string key = "key-" + (i * 7 % Keys).ToString("D6", CultureInfo.InvariantCulture);
                long value = -i;
                _ = replica.UpdateAsync(Map, (map, me, out delta) => map.Put(me, key, value, clock, out delta));
            }

            replica.DisposeAsync().AsTask().GetAwaiter().GetResult();
            StoredDocument stored = store.LoadAsync("doc").AsTask().GetAwaiter().GetResult();
            _snapshot = stored.Snapshot!.Payload.ToArray();
            long encodedState = Serializer.SerializeToBytes(Serializer.DeserializeSnapshot(_snapshot)).Length;
            long log = 0;
            foreach (LogRecord record in stored.Records)
            {
                log += record.Payload.Length;
            }

            Console.WriteLine($"STORAGE-SIZE: {stored.Records.Length} log records ({log} bytes), snapshot {encodedState} bytes (encoded state)");
            store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        long onDisk = new FileInfo(_path).Length + (File.Exists(_path + "-wal") ? new FileInfo(_path + "-wal").Length : 0);
        Console.WriteLine($"STORAGE-SIZE: database file {onDisk} bytes on disk after close (snapshot + log + index + metadata)");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    /// <summary>Floor: decoding the snapshot alone (no log replay, no SQLite).</summary>
    [Benchmark(Baseline = true)]
    public int DecodeSnapshot() => Serializer.DeserializeSnapshot(_snapshot).Values.Length;

    /// <summary>Open the store and the replica (snapshot + 10k log entries), then close.</summary>
    [Benchmark]
    public int OpenReplica()
    {
        SqliteDocumentStore store = SqliteDocumentStore.Open(_path, new SqliteDocumentStoreOptions { Durability = SqliteDurability.Normal });
        DurableReplica replica = DurableReplica.OpenAsync(store, "doc", "bench", Serializer, static (_, _) => { }, _options).GetAwaiter().GetResult();
        int count = replica.Get(Map).Count;
        replica.DisposeAsync().AsTask().GetAwaiter().GetResult();
        store.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return count;
    }
}
