using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Maps;
using Sync.Crdt.Registers;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Replication.Tests;

/// <summary>Replicas holding the core types that talk only through encoded bytes (and restore from encoded snapshots) converge.</summary>
public class EncodedTransportTests
{
    private static readonly ReplicationSerializer Serializer = new([
        ReplicatedValueFormat.Create(CrdtCodecs.GCounter),
        ReplicatedValueFormat.Create(CrdtCodecs.PNCounter),
        ReplicatedValueFormat.Create(CrdtCodecs.ORSet(CrdtCodecs.String)),
        ReplicatedValueFormat.Create(CrdtCodecs.LWWMap(CrdtCodecs.String, CrdtCodecs.Int64)),
        ReplicatedValueFormat.Create(CrdtCodecs.MVRegister(CrdtCodecs.String)),
    ]);

    private static readonly ReplicatedKey<GCounter> Views = new("views");
    private static readonly ReplicatedKey<PNCounter> Stock = new("stock");
    private static readonly ReplicatedKey<ORSet<string>> Cart = new("cart");
    private static readonly ReplicatedKey<LWWMap<string, long>> Prices = new("prices");
    private static readonly ReplicatedKey<MVRegister<string>> Title = new("title");

    private static DeltaReplicator Replica(string id)
    {
        var replicator = new DeltaReplicator(id);
        replicator.Define(Views, GCounter.Empty);
        replicator.Define(Stock, PNCounter.Empty);
        replicator.Define(Cart, ORSet<string>.Empty);
        replicator.Define(Prices, LWWMap<string, long>.Empty);
        replicator.Define(Title, MVRegister<string>.Empty);
        return replicator;
    }

    [Fact]
    public void ReplicasTalkingThroughBytes_WithRestoreFromEncodedSnapshot_Converge()
    {
        DeltaReplicator a = Replica("a");
        DeltaReplicator b = Replica("b");
        var network = new LoopbackNetwork(Serializer, a, b);
        var clock = new LamportClock();
        a.Update(Views, static (c, me, out d) => c.Increment(me, 5, out d));
        a.Update(Cart, static (s, me, out d) => s.Add(me, "apple", out d));
        b.Update(Stock, static (c, me, out d) => c.Decrement(me, 2, out d));
        b.Update(Prices, (m, me, out d) => m.Put(me, "apple", 120, clock, out d));
        network.SyncAll();

        // b restarts from its encoded snapshot under a fresh id, then both keep editing.
        byte[] snapshot = Serializer.SerializeToBytes(b.CreateSnapshot());
        DeltaReplicator b2 = DeltaReplicator.Restore(Serializer.DeserializeSnapshot(snapshot), "b2");
        a.RemovePeer("b");
        var healed = new LoopbackNetwork(Serializer, a, b2);
        b2.Update(Cart, static (s, me, out d) => s.Remove("apple", out d));
        a.Update(Title, static (r, me, out d) => r.Set(me, "Fruit", out d));
        healed.SyncAll();

        foreach (DeltaReplicator r in new[] { a, b2 })
        {
            Assert.Equal(5, r.Get(Views).Value);
            Assert.Equal(-2, r.Get(Stock).Value);
            Assert.Empty(r.Get(Cart));
            Assert.Equal(120, r.Get(Prices)["apple"]);
            Assert.Equal(new[] { "Fruit" }, r.Get(Title).Values.ToArray());
        }

        Assert.Equal(a.Vector, b2.Vector);

        // Converged replicas encode their state to identical bytes.
        Assert.Equal(
            Serializer.SerializeToBytes(new ReplicatorSnapshot("x", a.Vector, a.CreateSnapshot().Values)),
            Serializer.SerializeToBytes(new ReplicatorSnapshot("x", b2.Vector, b2.CreateSnapshot().Values)));
    }
}
