using System;
using System.Linq;
using System.Threading.Tasks;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Maps;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Replication.Tests.Storage;

/// <summary>
/// What a <see cref="DurableReplica"/> guarantees on any <see cref="IDocumentStore"/>: derive and supply the store
/// (fresh, reopened after a restart, and copied as a backup restore would). Shared by the in-memory and SQLite tests.
/// </summary>
public abstract partial class DurableReplicaContract
{
    protected static readonly ReplicatedKey<GCounter> Hits = new("hits");
    protected static readonly ReplicatedKey<ORSet<string>> Tags = new("tags");
    protected static readonly ReplicatedKey<LWWMap<string, long>> Map = new("map");

    /// <summary>Opens a new, empty store named <paramref name="name"/>.</summary>
    protected abstract Task<IDocumentStore> OpenStoreAsync(string name);

    /// <summary>Disposes <paramref name="store"/> and opens the same data again (a process restart).</summary>
    protected abstract Task<IDocumentStore> ReopenStoreAsync(IDocumentStore store);

    /// <summary>Disposes <paramref name="store"/>, copies its data (a backup restored elsewhere) and returns the reopened original and the copy.</summary>
    protected abstract Task<(IDocumentStore Original, IDocumentStore Copy)> CopyStoreAsync(IDocumentStore store);

    protected static Task<DurableReplica> OpenReplicaAsync(IDocumentStore store, ReplicaNetwork network, string name, DurableReplicaOptions? options = null)
    {
        DurableReplica? replica = null;
        return OpenAndAttach();

        async Task<DurableReplica> OpenAndAttach()
        {
            replica = await DurableReplica.OpenAsync(store, "doc", name, ReplicaNetwork.Serializer, network.SenderFor(() => replica!.Replica), options);
            network.Attach(replica);
            return replica;
        }
    }

    protected static Task<GCounter> Increment(DurableReplica replica, long amount) =>
        replica.UpdateAsync(Hits, (c, me, out d) => c.Increment(me, amount, out d));

    protected static Task<ORSet<string>> Tag(DurableReplica replica, string tag) =>
        replica.UpdateAsync(Tags, (s, me, out d) => s.Add(me, tag, out d));

    protected static async Task Connect(DurableReplica a, DurableReplica b)
    {
        await a.AddPeerAsync(b.Replica);
        await b.AddPeerAsync(a.Replica);
    }

    [Fact]
    public async Task Update_CompletesOnlyAfterItsCommit_AndNoFrameLeavesBefore()
    {
        var store = new ControlledStore(await OpenStoreAsync("a"));
        var network = new ReplicaNetwork();
        await using DurableReplica a = await OpenReplicaAsync(store, network, "a");
        await using DurableReplica b = await OpenReplicaAsync(await OpenStoreAsync("b"), network, "b");
        await a.DefineAsync(Hits, GCounter.Empty);
        await Connect(a, b);
        await network.SyncAsync(a, b);

        store.Hold();
        Task<GCounter> update = Increment(a, 5);
        Assert.Equal(5, a.Get(Hits).Value); // reads see memory at once
        await a.PushAsync();
        await a.SyncRoundAsync();
        await Task.Delay(50);
        Assert.False(update.IsCompleted);
        Assert.Equal(2, a.HeldFrameCount); // the push and the digest wait for the commit
        Assert.Equal(0, await network.DeliverAllAsync());

        store.Release();
        Assert.Equal(5, (await update).Value);
        await a.FlushAsync();
        Assert.Equal(0, a.HeldFrameCount);
        await network.DeliverAllAsync();
        Assert.Equal(5, b.Get(Hits).Value);
        await a.DisposeAsync();
        await b.DisposeAsync();
        await store.DisposeAsync();
    }

    [Fact]
    public async Task Receive_AcknowledgementLeavesOnlyAfterTheReceivedChangesAreCommitted()
    {
        var network = new ReplicaNetwork();
        var bStore = new ControlledStore(await OpenStoreAsync("b"));
        DurableReplica a = await OpenReplicaAsync(await OpenStoreAsync("a"), network, "a");
        DurableReplica b = await OpenReplicaAsync(bStore, network, "b");
        await Connect(a, b);
        await a.DefineAsync(Hits, GCounter.Empty);
        await Increment(a, 3);

        await network.SyncAsync(a, b);
        await Increment(a, 4);

        bStore.Hold();
        await a.PushAsync();
        await a.FlushAsync();
        var frames = network.TakeQueued();
        Assert.Single(frames);
        Task<ReceiveResult> receive = b.ReceiveAsync(frames[0].Frame, frames[0].From);
        Assert.Equal(7, b.Get(Hits).Value);
        await Task.Delay(50);
        Assert.False(receive.IsCompleted);
        Assert.Equal(1, b.HeldFrameCount); // b's acknowledging digest waits for the commit
        Assert.Empty(network.TakeQueued());
        bStore.Release();
        Assert.Equal(ReceiveOutcome.Applied, (await receive).Outcome);
        await b.FlushAsync();
        var acknowledgement = Assert.Single(network.TakeQueued());
        Assert.Equal(a.Replica, acknowledgement.To);
        Assert.Equal(0, b.HeldFrameCount);

        // After a restart b still holds what it acknowledged.
        await b.DisposeAsync();
        IDocumentStore reopened = await ReopenStoreAsync(bStore.Inner);
        DurableReplica b2 = await OpenReplicaAsync(reopened, network, "b");
        Assert.Equal(7, b2.Get(Hits).Value);
        await b2.DisposeAsync();
        await reopened.DisposeAsync();
        await a.DisposeAsync();
    }

    [Fact]
    public async Task GroupCommit_UpdatesQueuedBehindAnInFlightCommit_ShareTheNextCommit()
    {
        var store = new ControlledStore(await OpenStoreAsync("a"));
        var network = new ReplicaNetwork();
        await using DurableReplica a = await OpenReplicaAsync(store, network, "a");
        await a.DefineAsync(Hits, GCounter.Empty);
        int before = store.CommitCount;
        store.Hold();
        Task<GCounter> first = Increment(a, 1);
        Task<GCounter>[] rest = [.. Enumerable.Range(0, 40).Select(_ => Increment(a, 1))];
        await Task.Delay(20);
        Assert.False(first.IsCompleted);
        store.Release();
        await first;
        await Task.WhenAll(rest);
        Assert.Equal(before + 2, store.CommitCount); // the first alone, the 40 queued behind it together
        Assert.Equal(41, a.Get(Hits).Value);
        await a.DisposeAsync();
        IDocumentStore reopened = await ReopenStoreAsync(store.Inner);
        await using DurableReplica again = await OpenReplicaAsync(reopened, network, "a");
        Assert.Equal(41, again.Get(Hits).Value);
        await again.DisposeAsync();
        await reopened.DisposeAsync();
    }

    [Fact]
    public async Task CommitFailure_FaultsTheUpdate_AndRollsTheMemoryBackToTheCommittedState()
    {
        var store = new ControlledStore(await OpenStoreAsync("a"));
        var network = new ReplicaNetwork();
        DurableReplica a = await OpenReplicaAsync(store, network, "a");
        DurableReplica b = await OpenReplicaAsync(await OpenStoreAsync("b"), network, "b");
        await Connect(a, b);
        await a.DefineAsync(Hits, GCounter.Empty);
        await Increment(a, 2);
        await network.SyncAsync(a, b);
        VersionVector committed = a.Vector;

        store.Fault = _ => new DocumentStoreException("disk full (simulated)");
        await Assert.ThrowsAsync<DocumentStoreException>(() => Increment(a, 10));
        await a.PushAsync();
        Assert.Equal(2, a.Get(Hits).Value);
        Assert.Equal(committed, a.Vector);
        Assert.Equal(0, a.HeldFrameCount);
        await network.DeliverAllAsync();
        Assert.Equal(2, b.Get(Hits).Value); // the rolled-back change never reached a peer

        store.Fault = null;
        await Increment(a, 1);
        await network.SyncAsync(a, b);
        Assert.Equal(3, a.Get(Hits).Value);
        Assert.Equal(3, b.Get(Hits).Value);
        await a.DisposeAsync();
        IDocumentStore reopened = await ReopenStoreAsync(store.Inner);
        DurableReplica again = await OpenReplicaAsync(reopened, network, "a");
        Assert.Equal(3, again.Get(Hits).Value);
        await again.DisposeAsync();
        await reopened.DisposeAsync();
        await b.DisposeAsync();
    }

    [Fact]
    public async Task Open_EveryOpenIsAFreshIncarnation_AndAcknowledgedWritesSurvive()
    {
        var network = new ReplicaNetwork();
        IDocumentStore store = await OpenStoreAsync("a");
        DurableReplica first = await OpenReplicaAsync(store, network, "phone");
        await first.DefineAsync(Tags, ORSet<string>.Empty);
        await Tag(first, "one");
        ReplicaId firstId = first.Replica;
        await first.DisposeAsync();
        store = await ReopenStoreAsync(store);
        DurableReplica second = await OpenReplicaAsync(store, network, "phone");
        Assert.NotEqual(firstId, second.Replica);
        Assert.StartsWith("phone#2.", second.Replica.Value, StringComparison.Ordinal);
        Assert.True(second.Get(Tags).Contains("one"));
        await Tag(second, "two");
        Assert.Equal(1, second.Vector[second.Replica]);
        await second.DisposeAsync();
        await store.DisposeAsync();
    }

    [Fact]
    public async Task Restart_WithPendingChangesToALargeMap_ShipsDeltasNotTheFullState()
    {
        const int Entries = 100_000;
        var network = new ReplicaNetwork();
        IDocumentStore aStore = await OpenStoreAsync("a");
        DurableReplica a = await OpenReplicaAsync(aStore, network, "a");
        DurableReplica b = await OpenReplicaAsync(await OpenStoreAsync("b"), network, "b");
        await Connect(a, b);
        var clock = new LamportClock();
        await a.DefineAsync(Map, LWWMap<string, long>.Empty);
        await a.UpdateAsync(Map, (map, me, out delta) =>
        {
            LWWMap<string, long>.Builder builder = map.ToBuilder();
            for (int i = 0; i < Entries; i++)
            {
                builder.Put(me, "key-" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture), i, clock);
            }

            delta = builder.ToImmutable();
            return delta;
        });
        await network.SyncAsync(a, b);
        Assert.Equal(Entries, b.Get(Map).Count);

        // Offline: 10 changes, then a restart.
        network.Detach(a);
        for (int i = 0; i < 10; i++)
        {
            await a.UpdateAsync(Map, (map, me, out delta) => map.Put(me, "key-00000" + i, -i, clock, out delta));
        }

        await a.DisposeAsync();
        aStore = await ReopenStoreAsync(aStore);
        DurableReplica restarted = await OpenReplicaAsync(aStore, network, "a");
        Assert.Contains(b.Replica, restarted.Peers); // the peer and its acknowledgement survived the restart
        await b.RemovePeerAsync(a.Replica);
        await b.AddPeerAsync(restarted.Replica);
        await b.SyncWithAsync(restarted.Replica);
        long sentBefore = restarted.BytesSent;
        await network.DeliverAllAsync();
        long shipped = restarted.BytesSent - sentBefore;

        var full = new FullStateMessage(restarted.Replica, restarted.Vector, [new("map", new ReplicatedValue<LWWMap<string, long>>(restarted.Get(Map)))]);
        long fullBytes = ReplicaNetwork.Serializer.GetSerializedSize(full);
        Assert.True(shipped > 0);
        Assert.True(shipped * 100 < fullBytes, $"shipped {shipped} bytes, the full state is {fullBytes}");
        Assert.Equal(-9, b.Get(Map)["key-000009"]);
        Assert.Equal(restarted.Vector, b.Vector);
        await restarted.DisposeAsync();
        await b.DisposeAsync();
        await aStore.DisposeAsync();
    }

    [Fact]
    public async Task Compaction_WhenTheLogOutgrowsTheState_SnapshotsAndDropsWhatPeersAcknowledged()
    {
        var network = new ReplicaNetwork();
        IDocumentStore store = await OpenStoreAsync("a");
        var options = new DurableReplicaOptions { MinCompactionBytes = 0 };
        DurableReplica a = await OpenReplicaAsync(store, network, "a", options);
        DurableReplica b = await OpenReplicaAsync(await OpenStoreAsync("b"), network, "b");
        await Connect(a, b);
        await a.DefineAsync(Hits, GCounter.Empty);
        for (int i = 0; i < 60; i++)
        {
            await Increment(a, 1);
            if (i % 10 == 0)
            {
                await network.SyncAsync(a, b);
            }
        }

        await network.SyncAsync(a, b);
        await a.CompactAsync();
        Assert.True(a.CompactionCount >= 2);
        StoredDocument stored = await store.LoadAsync("doc");
        Assert.NotNull(stored.Snapshot);
        Assert.Equal(stored.Head, stored.Snapshot.Position);
        Assert.True(stored.Records.Length <= a.BufferedDeltaCount, $"{stored.Records.Length} records kept, buffer {a.BufferedDeltaCount}");
        Assert.True(stored.Records.Length < 10);

        await a.DisposeAsync();
        store = await ReopenStoreAsync(store);
        DurableReplica again = await OpenReplicaAsync(store, network, "a");
        Assert.Equal(60, again.Get(Hits).Value);
        await again.DisposeAsync();
        await store.DisposeAsync();
        await b.DisposeAsync();
    }

    [Fact]
    public async Task LogRetention_IsBoundedWhenAPeerNeverAcknowledges_AndThatPeerGetsTheFullState()
    {
        var network = new ReplicaNetwork();
        IDocumentStore store = await OpenStoreAsync("a");
        var options = new DurableReplicaOptions { MinCompactionBytes = 0, Replicator = new ReplicatorOptions(maxBufferedDeltas: 8) };
        DurableReplica a = await OpenReplicaAsync(store, network, "a", options);
        await a.AddPeerAsync("silent-peer");
        await a.DefineAsync(Hits, GCounter.Empty);
        for (int i = 0; i < 50; i++)
        {
            await Increment(a, 1);
        }

        await a.CompactAsync();
        StoredDocument stored = await store.LoadAsync("doc");
        Assert.InRange(stored.Records.Length, 1, 8);
        Assert.Equal(8, a.BufferedDeltaCount);

        DurableReplica late = await OpenReplicaAsync(await OpenStoreAsync("late"), network, "late");
        await late.AddPeerAsync(a.Replica);
        await a.AddPeerAsync(late.Replica);
        await network.SyncAsync(a, late);
        Assert.Equal(50, late.Get(Hits).Value);
        await late.DisposeAsync();
        await a.DisposeAsync();
        await store.DisposeAsync();
    }

    [Fact]
    public async Task RestoreFromAnOldCopy_BothKeepWriting_MergingLosesNothing()
    {
        var network = new ReplicaNetwork();
        IDocumentStore store = await OpenStoreAsync("a");
        DurableReplica a = await OpenReplicaAsync(store, network, "phone");
        await a.DefineAsync(Hits, GCounter.Empty);
        await a.DefineAsync(Tags, ORSet<string>.Empty);
        await Increment(a, 1);
        await Tag(a, "before-backup");
        await a.DisposeAsync();

        (IDocumentStore original, IDocumentStore copy) = await CopyStoreAsync(store);
        DurableReplica fromOriginal = await OpenReplicaAsync(original, network, "phone");
        DurableReplica fromCopy = await OpenReplicaAsync(copy, network, "phone");
        Assert.NotEqual(fromOriginal.Replica, fromCopy.Replica); // same counter in both files, different ids
        for (int i = 0; i < 5; i++)
        {
            await Increment(fromOriginal, 10);
            await Increment(fromCopy, 100);
        }

        await Tag(fromOriginal, "original");
        await Tag(fromCopy, "copy");
        DurableReplica server = await OpenReplicaAsync(await OpenStoreAsync("server"), network, "server");
        await Connect(server, fromOriginal);
        await Connect(server, fromCopy);
        await network.SyncAsync(server, fromOriginal, fromCopy);

        foreach (DurableReplica replica in new[] { server, fromOriginal, fromCopy })
        {
            Assert.Equal(1 + 50 + 500, replica.Get(Hits).Value);
            Assert.Equal(["before-backup", "copy", "original"], replica.Get(Tags).OrderBy(t => t, StringComparer.Ordinal));
        }

        await fromOriginal.DisposeAsync();
        await fromCopy.DisposeAsync();
        await server.DisposeAsync();
        await original.DisposeAsync();
        await copy.DisposeAsync();
    }
}
