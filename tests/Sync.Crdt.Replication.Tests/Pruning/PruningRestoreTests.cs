using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Replication.Tests.Pruning;

/// <summary>A durable replica's log crosses a prune: restoring a snapshot from before it plus the log gives the pruned state.</summary>
public class PruningRestoreTests
{
    private static readonly ReplicatedKey<PNCounter> Counter = new("pn");
    private static readonly ReplicatedKey<ORSet<int>> Set = new("set");

    [Fact]
    public void Restore_SnapshotBeforeThePrune_PlusTheLog_GivesThePrunedState_WithoutCountingTwice()
    {
        var owner = new DeltaReplicator("a");
        var gone = new DeltaReplicator("gone");
        foreach (DeltaReplicator node in new[] { owner, gone })
        {
            node.Define(Counter, PNCounter.Empty);
            node.Define(Set, ORSet<int>.Empty);
        }

        gone.Update(Counter, (PNCounter c, ReplicaId r, out PNCounter d) => c.Increment(r, 5, out d));
        gone.Update(Set, (ORSet<int> s, ReplicaId r, out ORSet<int> d) => s.Add(r, 7, out d));
        owner.Update(Counter, (PNCounter c, ReplicaId r, out PNCounter d) => c.Increment(r, 1, out d));
        owner.Receive(new FullStateMessage("gone", gone.Vector, gone.CreateSnapshot().Values));
        ReplicatorSnapshot before = owner.CreateSnapshot();

        var log = new List<DeltaLogEntry> { owner.PruneRemovedReplica("gone") };
        owner.Update(Counter, (PNCounter c, ReplicaId r, out PNCounter d) => c.Increment(r, 2, out d), out DeltaLogEntry? update);
        log.Add(update!);
        owner.Update(Set, (ORSet<int> s, ReplicaId r, out ORSet<int> d) => s.Remove(7, out d), out DeltaLogEntry? remove);
        log.Add(remove!);

        DeltaReplicator restored = DeltaReplicator.Restore(before, log, "a");

        Assert.Equal(8, owner.Get(Counter).Value);
        Assert.Equal(owner.Vector, restored.Vector);
        Assert.Equal(owner.Get(Counter), restored.Get(Counter));
        Assert.Equal(owner.Get(Set), restored.Get(Set));
        Assert.Empty(restored.Get(Set));
        Assert.Equal(0, restored.Vector["gone"]);
        Assert.Equal(["gone"], restored.PrunedReplicas);
        Assert.Throws<ReplicationProtocolException>(() => restored.Receive(new DigestMessage("gone", gone.Vector)));
    }
}
