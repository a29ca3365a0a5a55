using System;
using System.Linq;
using System.Threading.Tasks;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Replication.Tests.Storage;

/// <summary>Removed-replica pruning on a durable replica: acknowledged (completed) means committed, and a restart finds the pruned state.</summary>
public abstract partial class DurableReplicaContract
{
    private static readonly ReplicatedKey<ORSet<string>> PruningTable = new(DeltaReplicator.PruningKey);

    /// <summary>a, b and gone share a counter (gone 5, a 1); gone leaves for good and both live replicas hold its last state.</summary>
    private static async Task<(DurableReplica A, DurableReplica B, ReplicaId Gone)> LeaveAsync(IDocumentStore aStore, IDocumentStore bStore, IDocumentStore goneStore, ReplicaNetwork network)
    {
        DurableReplica a = await OpenReplicaAsync(aStore, network, "a");
        DurableReplica b = await OpenReplicaAsync(bStore, network, "b");
        DurableReplica gone = await OpenReplicaAsync(goneStore, network, "gone");
        await Connect(a, b);
        await Connect(a, gone);
        await Connect(b, gone);
        await a.DefineAsync(Hits, GCounter.Empty);
        await network.SyncAsync(a, b, gone);
        await Increment(gone, 5);
        await Increment(a, 1);
        await network.SyncAsync(a, b, gone);
        ReplicaId goneId = gone.Replica;
        network.Detach(gone);
        await gone.DisposeAsync();
        await goneStore.DisposeAsync();
        await a.RemovePeerAsync(goneId);
        await b.RemovePeerAsync(goneId);
        await network.SyncAsync(a, b);
        return (a, b, goneId);
    }

    [Fact]
    public async Task Prune_CompletesOnlyAfterItsCommit_AndTheOwnerReopensPruned()
    {
        var network = new ReplicaNetwork();
        var aStore = new ControlledStore(await OpenStoreAsync("a"));
        (DurableReplica a, DurableReplica b, ReplicaId gone) = await LeaveAsync(aStore, await OpenStoreAsync("b"), await OpenStoreAsync("gone"), network);

        aStore.Hold();
        Task prune = a.PruneRemovedReplicaAsync(gone);
        Assert.Equal([gone], a.PrunedReplicas); // memory at once
        Assert.Equal(0, a.Vector[gone]);
        await a.SyncRoundAsync();
        await Task.Delay(50);
        Assert.False(prune.IsCompleted);
        Assert.True(a.HeldFrameCount > 0); // the digest reflecting the prune waits for the commit
        Assert.Equal(0, await network.DeliverAllAsync());
        Assert.Equal(2, b.Get(Hits).Count); // b has heard nothing of it
        aStore.Release();
        await prune;

        // A restart right after the acknowledgement (the crash case: the replica is not closed first) finds the prune.
        IDocumentStore reopened = await ReopenStoreAsync(aStore.Inner);
        DurableReplica again = await OpenReplicaAsync(reopened, network, "a");
        Assert.Equal(6, again.Get(Hits).Value);
        Assert.DoesNotContain(again.Get(Hits), entry => entry.Key == gone);
        Assert.Equal(0, again.Vector[gone]);
        Assert.Equal([gone], again.PrunedReplicas);
        Assert.Single(again.Get(PruningTable));
        network.Detach(a);
        await again.DisposeAsync();
        await reopened.DisposeAsync();
        await b.DisposeAsync();
    }

    [Fact]
    public async Task Prune_SpreadsRetiresAndSurvivesRestarts_AndTheLogBeforeItCanBeTruncated()
    {
        var network = new ReplicaNetwork();
        IDocumentStore aStore = await OpenStoreAsync("a");
        IDocumentStore bStore = await OpenStoreAsync("b");
        (DurableReplica a, DurableReplica b, ReplicaId gone) = await LeaveAsync(aStore, bStore, await OpenStoreAsync("gone"), network);

        await a.PruneRemovedReplicaAsync(gone);
        await network.SyncAsync(a, b);
        Assert.Equal([gone], b.PrunedReplicas);
        Assert.Equal(6, b.Get(Hits).Value);
        Assert.Single(b.Get(Hits)); // folded into a's entry
        Assert.Equal(1, await a.RetireAcknowledgedPruningMarkersAsync());
        Assert.Equal(0, await a.RetireAcknowledgedPruningMarkersAsync());
        await network.SyncAsync(a, b);
        Assert.Empty(b.Get(PruningTable));

        // Every peer acknowledged everything: a compaction keeps no record from before the prune.
        await a.CompactAsync();
        StoredDocument stored = await aStore.LoadAsync("doc");
        Assert.Empty(stored.Records);

        foreach ((DurableReplica replica, IDocumentStore store, string name) in new[] { (a, aStore, "a"), (b, bStore, "b") })
        {
            network.Detach(replica);
            await replica.DisposeAsync();
            IDocumentStore reopened = await ReopenStoreAsync(store);
            DurableReplica again = await OpenReplicaAsync(reopened, network, name);
            Assert.Equal(6, again.Get(Hits).Value);
            Assert.Single(again.Get(Hits));
            Assert.Equal(0, again.Vector[gone]);
            Assert.Empty(again.Get(PruningTable));
            await again.DisposeAsync();
            await reopened.DisposeAsync();
        }
    }

    [Fact]
    public async Task Prune_CommitFailure_FaultsThePrune_AndRollsItBack()
    {
        var network = new ReplicaNetwork();
        var aStore = new ControlledStore(await OpenStoreAsync("a"));
        (DurableReplica a, DurableReplica b, ReplicaId gone) = await LeaveAsync(aStore, await OpenStoreAsync("b"), await OpenStoreAsync("gone"), network);
        VersionVector committed = a.Vector;

        aStore.Fault = _ => new DocumentStoreException("disk full (simulated)");
        await Assert.ThrowsAsync<DocumentStoreException>(() => a.PruneRemovedReplicaAsync(gone));
        Assert.Empty(a.PrunedReplicas);
        Assert.Equal(committed, a.Vector);
        Assert.Equal(5, a.Get(Hits).First(entry => entry.Key == gone).Value);
        await a.PushAsync();
        await network.DeliverAllAsync();
        Assert.Empty(b.PrunedReplicas); // the rolled-back prune never reached a peer

        // The rolled-back prune had dropped the removed replica from the peers' acknowledgements: the retry waits for
        // the peers to acknowledge its last state again (one sync round), like any prune.
        aStore.Fault = null;
        await Assert.ThrowsAsync<InvalidOperationException>(() => a.PruneRemovedReplicaAsync(gone));
        await network.SyncAsync(a, b);
        await a.PruneRemovedReplicaAsync(gone);
        await network.SyncAsync(a, b);
        Assert.Equal([gone], b.PrunedReplicas);
        Assert.Equal(6, b.Get(Hits).Value);
        await a.DisposeAsync();
        await b.DisposeAsync();
        await aStore.DisposeAsync();
    }
}
