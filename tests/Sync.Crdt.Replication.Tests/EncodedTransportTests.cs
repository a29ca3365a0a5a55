using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Maps;
using Sync.Crdt.Registers;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Replication.Tests;

/// <summary>Replicas that talk only through encoded bytes (and restore from encoded snapshots) converge with the core types.</summary>
public class EncodedTransportTests
{
    private static readonly ReplicationSerializer Serializer = new([
        ReplicatedValueFormat.Create(CrdtCodecs.GCounter),
        ReplicatedValueFormat.Create(CrdtCodecs.PNCounter),
        ReplicatedValueFormat.Create(CrdtCodecs.ORSet(CrdtCodecs.String)),
        ReplicatedValueFormat.Create(CrdtCodecs.LWWMap(CrdtCodecs.String, CrdtCodecs.Int64)),
        ReplicatedValueFormat.Create(CrdtCodecs.MVRegister(CrdtCodecs.String)),
    ]);

    private static void Pump(IEnumerable<OutgoingMessage> start, params DeltaReplicator[] replicas)
    {
        var queue = new Queue<OutgoingMessage>(start);
        while (queue.Count > 0)
        {
            OutgoingMessage next = queue.Dequeue();
            byte[] bytes = Serializer.SerializeToBytes(next.Message);
            ReplicationMessage decoded = Serializer.Deserialize(bytes);
            DeltaReplicator target = replicas.Single(r => r.Replica == next.Recipient);
            foreach (OutgoingMessage reply in target.Receive(decoded))
            {
                queue.Enqueue(reply);
            }
        }
    }

    private static DeltaReplicator Replica(string id)
    {
        var replicator = new DeltaReplicator(id);
        replicator.Define("views", GCounter.Empty);
        replicator.Define("stock", PNCounter.Empty);
        replicator.Define("cart", ORSet<string>.Empty);
        replicator.Define("prices", LWWMap<string, long>.Empty);
        replicator.Define("title", MVRegister<string>.Empty);
        return replicator;
    }

    [Fact]
    public void ReplicasTalkingThroughBytes_WithRestoreFromEncodedSnapshot_Converge()
    {
        DeltaReplicator a = Replica("a");
        DeltaReplicator b = Replica("b");
        a.AddPeer("b");
        b.AddPeer("a");
        var clock = new LamportClock();
        a.Update("views", (GCounter c, ReplicaId me, out GCounter d) => c.Increment(me, 5, out d));
        a.Update("cart", (ORSet<string> s, ReplicaId me, out ORSet<string> d) => s.Add(me, "apple", out d));
        b.Update("stock", (PNCounter c, ReplicaId me, out PNCounter d) => c.Decrement(me, 2, out d));
        b.Update("prices", (LWWMap<string, long> m, ReplicaId me, out LWWMap<string, long> d) => m.Put(me, "apple", 120, clock, out d));
        Pump(b.CreateSyncMessages(), a, b);
        Pump(a.CreateSyncMessages(), a, b);

        // b restarts from its encoded snapshot under a fresh id, then both keep editing.
        byte[] snapshot = Serializer.SerializeToBytes(b.CreateSnapshot());
        DeltaReplicator b2 = DeltaReplicator.Restore(Serializer.DeserializeSnapshot(snapshot), "b2");
        a.RemovePeer("b");
        a.AddPeer("b2");
        b2.AddPeer("a");
        b2.Update("cart", (ORSet<string> s, ReplicaId me, out ORSet<string> d) => s.Remove("apple", out d));
        a.Update("title", (MVRegister<string> r, ReplicaId me, out MVRegister<string> d) => r.Set(me, "Fruit", out d));
        Pump(a.CreateSyncMessages(), a, b2);
        Pump(b2.CreateSyncMessages(), a, b2);

        foreach (DeltaReplicator r in new[] { a, b2 })
        {
            Assert.Equal(5, r.Get<GCounter>("views").Value);
            Assert.Equal(-2, r.Get<PNCounter>("stock").Value);
            Assert.Empty(r.Get<ORSet<string>>("cart"));
            Assert.Equal(120, r.Get<LWWMap<string, long>>("prices")["apple"]);
            Assert.Equal(new[] { "Fruit" }, r.Get<MVRegister<string>>("title").Values.ToArray());
        }

        Assert.Equal(a.Vector, b2.Vector);

        // Converged replicas encode their state to identical bytes.
        Assert.Equal(
            Serializer.SerializeToBytes(new ReplicatorSnapshot("x", a.Vector, a.CreateSnapshot().Values)),
            Serializer.SerializeToBytes(new ReplicatorSnapshot("x", b2.Vector, b2.CreateSnapshot().Values)));
    }
}
