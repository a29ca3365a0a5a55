using System;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Replication.Tests.Pruning;

/// <summary>
/// The single-owner guard: two replicas that both prune the same removed replica have each folded its count into their
/// own entry. Their prunes must never meet in one state (the count would be counted twice): every replica refuses the
/// messages that carry the prune it does not hold, loudly, and no value ever counts the removed replica twice.
/// </summary>
public class PruningOwnerConflictTests
{
    private static readonly ReplicatedKey<PNCounter> Counter = new("pn");
    private static readonly ReplicatedKey<ORSet<int>> Set = new("set");

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TwoOwnersPruningOneReplica_AreRefused_AndNothingIsCountedTwice(int seed)
    {
        var network = new PruningNetwork(new Random(seed), dropPercent: 10, duplicatePercent: 10) { Faulty = false };
        ReplicaId[] live = ["a", "b", "c"];
        foreach (ReplicaId id in live.Append("gone"))
        {
            var node = new DeltaReplicator(id);
            node.Define(Counter, PNCounter.Empty);
            node.Define(Set, ORSet<int>.Empty);
            network.Add(node);
        }

        network.Nodes["gone"].Update(Counter, (PNCounter c, ReplicaId r, out PNCounter d) => c.Increment(r, 1000, out d));
        network.Nodes["gone"].Update(Set, (ORSet<int> s, ReplicaId r, out ORSet<int> d) => s.Add(r, 7, out d));
        network.Nodes["a"].Update(Counter, (PNCounter c, ReplicaId r, out PNCounter d) => c.Increment(r, 1, out d));
        network.Heal([.. network.Nodes.Keys]);
        network.Nodes.Remove("gone");
        foreach (ReplicaId id in live)
        {
            network.Nodes[id].RemovePeer("gone");
        }

        network.Heal(live);

        // Both a and c prune "gone" (a misconfigured membership service picked two owners).
        network.Nodes["a"].PruneRemovedReplica("gone");
        network.Nodes["c"].PruneRemovedReplica("gone");
        // Both sides keep writing (1 per replica and round) and syncing over a lossy network: whatever reaches a replica,
        // gone's 1000 is counted once (a value of 2001 or more would be the double count).
        network.Faulty = true;
        for (int round = 0; round < 10; round++)
        {
            foreach (ReplicaId id in live)
            {
                network.Nodes[id].Update(Counter, (PNCounter c, ReplicaId r, out PNCounter d) => c.Increment(r, 1, out d));
                network.Send(network.Nodes[id].CreateSyncMessages());
            }

            network.DeliverAll();
            foreach (ReplicaId id in live)
            {
                Assert.InRange(network.Nodes[id].Get(Counter).Value, 1001 + round + 1, 1001 + (live.Length * (round + 1)));
            }
        }

        Assert.True(network.Refused > 0);
        Assert.Contains(network.RefusalMessages, m => m.Contains("'gone' was pruned by two owners", StringComparison.Ordinal));
        foreach (ReplicaId id in live)
        {
            DeltaReplicator node = network.Nodes[id];
            Assert.Equal([7], node.Get(Set).ToArray());
            Assert.DoesNotContain(node.Get(Counter).Increments, e => e.Key == "gone");
            Assert.Single(node.Get(new ReplicatedKey<ORSet<string>>(DeltaReplicator.PruningKey)));
            Assert.Equal(["gone"], node.PrunedReplicas);
        }
    }
}
