using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Client;
using Sync.Crdt.Counters;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Server.Tests;

/// <summary>A store that is down: the server refuses opens with StoreUnavailable, and its clients retry with the
/// reconnect backoff (not in a tight loop), then sync by themselves once the store is back.</summary>
public sealed class StoreOutageTests
{
    private static readonly ReplicatedKey<GCounter> Views = new("views");

    [Fact]
    public async Task OpenWhileTheStoreIsDown_RetriesWithBackoff_AndSyncsWhenItIsBack()
    {
        var store = new OutageStore(new InMemoryDocumentStore()) { Down = true };
        await using TestServer server = await TestServer.StartAsync(store: store);

        // 100 ms doubling to 1.6 s (jittered to 50-100 % of that): at most 5 attempts in 1.5 s (the 5th starts after at
        // least 50 + 100 + 200 + 400 = 750 ms); an immediate reopen would make hundreds.
        await using CrdtSyncClient client = server.CreateClient("alice", o =>
        {
            o.InitialReconnectDelay = TimeSpan.FromMilliseconds(100);
            o.MaxReconnectDelay = TimeSpan.FromMilliseconds(1600);
        });
        ValuesDocument document = await client.OpenValuesAsync("stats");
        client.Start();
        await Eventually.HoldsAsync(() => store.Loads >= 2, () => $"{store.Loads} loads");
        await Task.Delay(TimeSpan.FromMilliseconds(1500));
        int loadsWhileDown = store.Loads;
        Assert.InRange(loadsWhileDown, 2, 8);
        Assert.Equal(Protocol.SyncErrorCode.StoreUnavailable, document.LastError);

        store.Down = false;
        await document.WaitForSyncedAsync().Within();
        await document.DefineAsync(Views, GCounter.Empty);
        await document.UpdateAsync(Views, (c, r, out d) => c.Increment(r, 3, out d));
        await document.WaitForAcknowledgedAsync().Within();
        Assert.Equal(3, document.Get(Views).Value);
        Assert.False((await store.LoadAsync("stats")).Records.IsEmpty, "the acknowledged update is in the store");
    }

    /// <summary>Wraps a store; while <see cref="Down"/>, every load fails as an unreachable database does.</summary>
    private sealed class OutageStore(IDocumentStore inner) : IDocumentStore
    {
        private int _loads;

        public bool Down { get; set; }

        public int Loads => Volatile.Read(ref _loads);

        public ValueTask<StoredDocument> LoadAsync(string document, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _loads);
            return Down ? ValueTask.FromException<StoredDocument>(new DocumentStoreException("the database is unreachable")) : inner.LoadAsync(document, cancellationToken);
        }

        public ValueTask<LogSlice> ReadLogAsync(string document, long afterPosition, int maxRecords, CancellationToken cancellationToken = default) =>
            Down ? ValueTask.FromException<LogSlice>(new DocumentStoreException("the database is unreachable")) : inner.ReadLogAsync(document, afterPosition, maxRecords, cancellationToken);

        public Task<CommitResult> CommitAsync(DocumentCommit commit, CancellationToken cancellationToken = default) =>
            Down ? Task.FromException<CommitResult>(new DocumentStoreException("the database is unreachable")) : inner.CommitAsync(commit, cancellationToken);

        public ValueTask<IReadOnlyList<string>> ListDocumentsAsync(CancellationToken cancellationToken = default) => inner.ListDocumentsAsync(cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
