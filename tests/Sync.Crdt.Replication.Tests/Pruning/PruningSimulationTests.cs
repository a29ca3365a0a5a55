using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Maps;
using Sync.Crdt.Registers;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Replication.Tests.Pruning;

/// <summary>
/// Removed-replica pruning through the replicator, under a seeded faulty network (loss, duplication, reordering): four
/// live replicas and one (n4) that writes and leaves; the owner n0 prunes it once every peer holds its last state; the
/// network keeps losing and reordering while the live replicas write on, one live replica (n3) is partitioned across the
/// prune and comes back with its old state, every recorded message (stale ones from before the prune, n4's own) is
/// replayed, and then the replicas heal. Values must match the specification (no write lost or counted twice, removes of
/// the removed replica's elements hold), replicas must converge, and nothing of n4 may remain.
/// </summary>
public class PruningSimulationTests
{
    private static readonly ReplicatedKey<PNCounter> Counter = new("pn");
    private static readonly ReplicatedKey<ORSet<int>> Set = new("set");
    private static readonly ReplicatedKey<MVRegister<int>> Register = new("mv");
    private static readonly ReplicatedKey<ORMap<string, PNCounter>> Cart = new("cart");
    private static readonly ReplicaId Removed = "n4";
    private static readonly ReplicaId Owner = "n0";

    public static TheoryData<int> Seeds => new(Enumerable.Range(1, 12).Select(i => i * 7919));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Prune_UnderFaultsAndStaleReplays_KeepsValuesAndConverges(int seed)
    {
        var random = new Random(seed);
        var clock = new ManualClock();
        var options = new ReplicatorOptions(maxBufferedDeltas: 8) { TimeProvider = clock, PrunedReplicaRetention = TimeSpan.FromMinutes(5) };
        var network = new PruningNetwork(random, dropPercent: 20, duplicatePercent: 15);
        var spec = new Spec();
        for (int i = 0; i < 5; i++)
        {
            var node = new DeltaReplicator(Name(i), options);
            node.Define(Counter, PNCounter.Empty);
            node.Define(Set, ORSet<int>.Empty);
            node.Define(Register, MVRegister<int>.Empty);
            node.Define(Cart, ORMap<string, PNCounter>.Empty);
            network.Add(node);
        }

        // Phase 1: everyone writes, the network misbehaves.
        Run(network, spec, random, steps: 150, writers: 5);

        // n4 leaves for good after its last state reached everyone (the precondition; a write that never left it is lost
        // with it): the live replicas drop it as a peer, heal, and the owner prunes it.
        network.Heal([.. network.Nodes.Keys]);
        foreach (DeltaReplicator node in network.Nodes.Values.Where(n => n.Replica != Removed))
        {
            node.RemovePeer(Removed);
        }

        DeltaReplicator gone = network.Nodes[Removed];
        network.Nodes.Remove(Removed);
        ReplicaId[] live = [.. network.Nodes.Keys.Order()];
        network.Heal(live);
        string before = Observe(network.Nodes[Owner]);
        network.Partitioned.Add("n3"); // n3 acknowledged n4's last state, then misses the prune
        DeltaReplicator owner = network.Nodes[Owner];
        owner.PruneRemovedReplica(Removed);
        Assert.Equal(before, Observe(owner));
        Assert.Equal(0, owner.Vector[Removed]);
        Assert.Equal([Removed], owner.PrunedReplicas);

        // Phase 2: the live replicas write on over the faulty network, n3 still cut off.
        Run(network, spec, random, steps: 100, writers: 4);

        // n3 comes back; every message ever sent (pre-prune deltas and states full of n4's data) is replayed, and n4
        // itself, unaware, sends its digest and a push.
        network.Partitioned.Clear();
        gone.AddPeer("n1");
        network.Inject("n1", gone.CreateSyncMessage("n1").Message);
        foreach ((ReplicaId to, ReplicationMessage message) in network.Sent.ToList())
        {
            if (network.Nodes.ContainsKey(to))
            {
                network.Inject(to, message);
            }
        }

        Run(network, spec, random, steps: 100, writers: 4);
        network.Heal(live);

        // Converged, to the specification, and nothing of n4 left.
        string expected = spec.Describe();
        foreach (ReplicaId id in live)
        {
            DeltaReplicator node = network.Nodes[id];
            Assert.Equal(owner.Vector, node.Vector);
            Assert.Equal(Observe(owner), Observe(node));
            Assert.Equal(expected, spec.Check(node));
            Assert.Equal(0, node.Vector[Removed]);
            Assert.Null(node.Get(Counter).PlanPruning(Removed, Owner));
            Assert.Null(node.Get(Set).PlanPruning(Removed, Owner));
            Assert.Null(node.Get(Register).PlanPruning(Removed, Owner));
            Assert.Null(node.Get(Cart).PlanPruning(Removed, Owner));
            Assert.Equal([Removed], node.PrunedReplicas);
        }

        Assert.Contains(network.RefusalMessages, m => m.Contains("'n4' was removed", StringComparison.Ordinal));

        // The owner retires the marker once every peer acknowledged it; the others see it leave the table and forget n4
        // after the retention time.
        Assert.NotEmpty(owner.RetireAcknowledgedPruningMarkers());
        network.Heal(live);
        clock.Advance(TimeSpan.FromMinutes(6));
        network.Heal(live);
        foreach (ReplicaId id in live)
        {
            Assert.Empty(network.Nodes[id].PrunedReplicas);
            Assert.Empty(network.Nodes[id].Get(new ReplicatedKey<ORSet<string>>(DeltaReplicator.PruningKey)));
            Assert.Equal(expected, spec.Check(network.Nodes[id]));
        }
    }

    [Fact]
    public void Prune_BeforeEveryPeerHoldsTheLastState_IsRefused_AndChangesNothing()
    {
        var a = new DeltaReplicator("a");
        var b = new DeltaReplicator("b");
        var gone = new DeltaReplicator("gone");
        a.AddPeer("b");
        a.Define(Counter, PNCounter.Empty);
        gone.Define(Counter, PNCounter.Empty);
        gone.Update(Counter, (PNCounter c, ReplicaId r, out PNCounter d) => c.Increment(r, 5, out d));
        a.AddPeer("gone");
        Assert.Throws<InvalidOperationException>(() => a.PruneRemovedReplica("gone")); // still a peer
        a.Receive(new FullStateMessage("gone", gone.Vector, [new KeyValuePair<string, ReplicatedValue>(Counter.Name, ReplicatedValue.Create(gone.Get(Counter)))]));
        a.RemovePeer("gone");
        VersionVector vector = a.Vector;
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => a.PruneRemovedReplica("gone"));
        Assert.Contains("peers b", error.Message, StringComparison.Ordinal);
        Assert.Equal(vector, a.Vector);
        Assert.Equal(5, a.Get(Counter).Value);
        Assert.Empty(a.PrunedReplicas);
        _ = b;
    }

    [Fact]
    public void Churn_OfTenThousandShortLivedReplicas_KeepsVectorsAndValuesBoundedByTheLiveReplicas()
    {
        var clock = new ManualClock();
        var options = new ReplicatorOptions { TimeProvider = clock, PrunedReplicaRetention = TimeSpan.FromSeconds(1) };
        var network = new PruningNetwork(new Random(1), 0, 0) { Faulty = false };
        ReplicaId[] live = ["n0", "n1", "n2"];
        foreach (ReplicaId id in live)
        {
            var node = new DeltaReplicator(id, options);
            node.Define(Counter, PNCounter.Empty);
            node.Define(Set, ORSet<int>.Empty);
            node.Define(Cart, ORMap<string, PNCounter>.Empty);
            network.Add(node);
        }

        network.Heal(live);
        DeltaReplicator owner = network.Nodes["n0"];
        int maxVector = 0;
        for (int i = 0; i < 10_000; i++)
        {
            ReplicaId id = "w" + i.ToString(CultureInfo.InvariantCulture);
            var writer = new DeltaReplicator(id, options);
            writer.AddPeer("n0");
            owner.AddPeer(id);
            network.Nodes.Add(id, writer);
            network.Send([owner.CreateSyncMessage(id)]);
            network.Send([writer.CreateSyncMessage("n0")]);
            network.DeliverAll();
            writer.Update(Counter, (PNCounter c, ReplicaId r, out PNCounter d) => c.Increment(r, 2, out d));
            int item = i % 100;
            writer.Update(Set, (ORSet<int> s, ReplicaId r, out ORSet<int> d) => s.Add(r, item, out d));
            string product = "p" + (i % 20).ToString(CultureInfo.InvariantCulture);
            writer.Update(Cart, (ORMap<string, PNCounter> m, ReplicaId r, out ORMap<string, PNCounter> d) => m.Update(r, product, (PNCounter c, ReplicaId n, out PNCounter e) => c.Increment(n, 3, out e), out d));
            network.Send(writer.CreatePushMessages());
            network.DeliverAll();
            owner.RemovePeer(id);
            network.Nodes.Remove(id);
            network.Heal(live);
            owner.PruneRemovedReplica(id);
            network.Heal(live);
            owner.RetireAcknowledgedPruningMarkers();
            network.Heal(live);
            clock.Advance(TimeSpan.FromSeconds(2));
            maxVector = Math.Max(maxVector, live.Max(n => network.Nodes[n].Vector.Count));
        }

        network.Heal(live);
        foreach (ReplicaId id in live)
        {
            DeltaReplicator node = network.Nodes[id];
            Assert.Equal(20_000, node.Get(Counter).Value);
            Assert.InRange(node.Get(Counter).Increments.Count, 1, live.Length);
            Assert.InRange(node.Vector.Count, 1, live.Length);
            Assert.InRange(node.Get(Set).Context.VersionVector.Count, 1, live.Length);
            Assert.True(node.Get(Set).Context.IsCompact);
            Assert.Equal(100, node.Get(Set).Count);
            Assert.Empty(node.PrunedReplicas);
            ORMap<string, PNCounter> cart = node.Get(Cart);
            Assert.Equal(30_000, cart.Values.Sum(c => c.Value));
            Assert.InRange(cart.Context.VersionVector.Count, 1, live.Length);
            Assert.True(cart.Context.IsCompact);

            // Nested values are renamed, not folded (docs/pruning.md, Limits): one nested entry per pruned writer (each
            // wrote one product once), under the owner's name; pinned, so that a future fold changes it deliberately.
            Assert.Equal(10_000, cart.Values.Sum(c => c.Increments.Count));
            Assert.All(cart.Values, c => Assert.DoesNotContain(c.Increments, e => e.Key.Value.StartsWith('w')));
        }

        Assert.InRange(maxVector, 1, live.Length + 1);
    }

    private static ReplicaId Name(int i) => "n" + i.ToString(CultureInfo.InvariantCulture);

    private static string Observe(DeltaReplicator node) =>
        $"pn={node.Get(Counter).Value} set={string.Join(",", node.Get(Set).Order())} mv={string.Join(",", node.Get(Register).Values.Order())} cart={string.Join(";", node.Get(Cart).Select(e => e.Key + "=" + e.Value.Value))}";

    private static void Run(PruningNetwork network, Spec spec, Random random, int steps, int writers)
    {
        for (int step = 0; step < steps; step++)
        {
            int roll = random.Next(10);
            ReplicaId at = Name(random.Next(writers));
            if (!network.Nodes.TryGetValue(at, out DeltaReplicator? node))
            {
                continue;
            }

            if (roll < 4)
            {
                spec.Write(node, random);
                network.Send(node.CreatePushMessages());
            }
            else if (roll < 6)
            {
                network.Send(node.CreateSyncMessages());
            }
            else
            {
                network.Deliver(3);
            }
        }
    }

    /// <summary>
    /// Writes whose converged result does not depend on delivery order: counter and cart increments (sums), set adds of
    /// unique elements and removes of elements the remover sees (an element is present iff added and not removed).
    /// </summary>
    private sealed class Spec
    {
        private readonly HashSet<int> _present = [];
        private readonly Dictionary<string, long> _cart = new(StringComparer.Ordinal);
        private long _counter;
        private int _next;

        public void Write(DeltaReplicator node, Random random)
        {
            switch (random.Next(5))
            {
                case 0:
                    long amount = random.Next(1, 20);
                    bool down = random.Next(3) == 0;
                    node.Update(Counter, (PNCounter c, ReplicaId r, out PNCounter d) => down ? c.Decrement(r, amount, out d) : c.Increment(r, amount, out d));
                    _counter += down ? -amount : amount;
                    break;
                case 1:
                    int item = _next++;
                    node.Update(Set, (ORSet<int> s, ReplicaId r, out ORSet<int> d) => s.Add(r, item, out d));
                    _present.Add(item);
                    break;
                case 2:
                    ORSet<int> set = node.Get(Set);
                    if (set.Count > 0)
                    {
                        int victim = set.ElementAt(random.Next(set.Count));
                        node.Update(Set, (ORSet<int> s, ReplicaId r, out ORSet<int> d) => s.Remove(victim, out d));
                        _present.Remove(victim);
                    }

                    break;
                case 3:
                    int value = random.Next(100);
                    node.Update(Register, (MVRegister<int> m, ReplicaId r, out MVRegister<int> d) => m.Set(r, value, out d));
                    break;
                default:
                    string key = "k" + random.Next(3).ToString(CultureInfo.InvariantCulture);
                    long units = random.Next(1, 5);
                    node.Update(Cart, (ORMap<string, PNCounter> m, ReplicaId r, out ORMap<string, PNCounter> d) =>
                        m.Update(r, key, (PNCounter c, ReplicaId nested, out PNCounter nd) => c.Increment(nested, units, out nd), out d));
                    _cart[key] = _cart.GetValueOrDefault(key) + units;
                    break;
            }
        }

        public string Describe() =>
            $"pn={_counter} set={string.Join(",", _present.Order())} cart={string.Join(";", _cart.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + "=" + e.Value))}";

        public string Check(DeltaReplicator node) =>
            $"pn={node.Get(Counter).Value} set={string.Join(",", node.Get(Set).Order())} cart={string.Join(";", node.Get(Cart).Select(e => e.Key + "=" + e.Value.Value))}";
    }
}
