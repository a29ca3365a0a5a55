using System;
using System.Linq;
using System.Threading.Tasks;
using Npgsql;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Postgres.Tests;

/// <summary>Snapshots plus pruning: log rows go once the snapshot and every live node's cursor cover them, without blocking writers.</summary>
public class PostgresCompactionTests
{
    private readonly string _schema = PostgresTestDatabase.NewSchema();

    [Fact]
    public async Task PruneLog_KeepsWhatALiveNodesCursorStillNeeds()
    {
        await using PostgresDocumentStore a = await OpenAsync("a");
        await using PostgresDocumentStore b = await OpenAsync("b");
        await using PostgresDocumentStore c = await OpenAsync("c");
        await a.CommitAsync(new DocumentCommit("doc") { Appends = [.. Enumerable.Range(1, 10).Select(i => (ReadOnlyMemory<byte>)new[] { (byte)i })] });
        await a.CommitAsync(new DocumentCommit("doc") { Snapshot = new StoredSnapshot(8, new byte[] { 8 }) }); // compaction: the snapshot only
        await b.SaveCursorAsync("doc", 3);
        await c.SaveCursorAsync("doc", 6);

        Assert.Equal(3, await a.PruneLogAsync(batchSize: 2)); // several batches
        Assert.Equal(4, (await a.ReadLogAsync("doc", 0, 100)).Start);

        await b.SaveCursorAsync("doc", 9);
        Assert.Equal(3, await a.PruneLogAsync());
        Assert.Equal(7, (await a.ReadLogAsync("doc", 0, 100)).Start); // c's cursor (6) still pins 7 and up

        await c.ReleaseCursorAsync("doc");
        Assert.Equal(2, await a.PruneLogAsync());
        StoredDocument document = await a.LoadAsync("doc");
        Assert.Equal([9L, 10], document.Records.Select(r => r.Position)); // the snapshot (8) is the floor now
        Assert.Equal(8, document.Snapshot!.Position);
        Assert.Equal(0, await a.PruneLogAsync());
    }

    [Fact]
    public async Task PruneLog_ANodeThatStoppedHeartbeating_NoLongerPinsTheLog()
    {
        PostgresDocumentStoreOptions pruner = PostgresTestDatabase.Options(_schema, "pruner");
        await using PostgresDocumentStore a = await PostgresDocumentStore.OpenAsync(new PostgresDocumentStoreOptions
        {
            ConnectionString = pruner.ConnectionString,
            Schema = _schema,
            NodeId = "pruner",
            NodeExpiry = TimeSpan.FromSeconds(1),
        });
        await a.CommitAsync(new DocumentCommit("doc") { Appends = [new byte[] { 1 }, new byte[] { 2 }, new byte[] { 3 }], Snapshot = new StoredSnapshot(3, new byte[] { 3 }) });
        PostgresDocumentStore dead = await OpenAsync("dead");
        await dead.SaveCursorAsync("doc", 1);
        await dead.DisposeAsync(); // the node dies: no more heartbeats

        Assert.Equal(1, await a.PruneLogAsync()); // its cursor still counts within the expiry
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(2, await a.PruneLogAsync());
        Assert.Empty((await a.LoadAsync("doc")).Records);
    }

    [Fact]
    public async Task PruneLog_WhileAWriterHoldsTheDocumentsLock_DoesNotWait()
    {
        await using PostgresDocumentStore a = await OpenAsync("a");
        await a.CommitAsync(new DocumentCommit("doc") { Appends = [new byte[] { 1 }, new byte[] { 2 }], Snapshot = new StoredSnapshot(2, new byte[] { 2 }) });

        await using var writer = new NpgsqlConnection(PostgresTestDatabase.RequiredConnectionString);
        await writer.OpenAsync();
        await using NpgsqlTransaction transaction = await writer.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand($"SELECT head FROM \"{_schema}\".documents WHERE name = 'doc' FOR UPDATE", writer, transaction))
        {
            Assert.Equal(2L, await lockRow.ExecuteScalarAsync());
        }

        long pruned = await a.PruneLogAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, pruned);
        await transaction.RollbackAsync();
    }

    [Fact]
    public async Task Follower_BehindPrunedRows_ReloadsFromTheSnapshot()
    {
        await using PostgresDocumentStore a = await OpenAsync("a");
        await a.CommitAsync(new DocumentCommit("doc") { Appends = [new byte[] { 1 }, new byte[] { 2 }, new byte[] { 3 }] });
        await a.CommitAsync(new DocumentCommit("doc") { Snapshot = new StoredSnapshot(2, new byte[] { 42 }) });
        await a.PruneLogAsync();
        StoredDocument? reloaded = null;
        await using var follower = new DocumentLogFollower(a, a, "doc", 0, (_, _) => ValueTask.CompletedTask, (document, _) => { reloaded = document; return ValueTask.CompletedTask; });
        await Wait.UntilAsync(() => follower.Cursor == 3, "the follower reloads and reaches the head");
        Assert.Equal(new byte[] { 42 }, reloaded!.Snapshot!.Payload.ToArray());
        Assert.Equal([3L], reloaded.Records.Select(r => r.Position));
    }

    private Task<PostgresDocumentStore> OpenAsync(string node) => PostgresDocumentStore.OpenAsync(PostgresTestDatabase.Options(_schema, node));
}
