using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Sets;

namespace Sync.Crdt.AotSmoke;

/// <summary>Two replicators, each behind a pump, exchange serialized frames until they agree.</summary>
internal static class ReplicationCheck
{
    private static readonly ReplicatedKey<ORSet<string>> Cart = new("cart");
    private static readonly ReplicatedKey<GCounter> Views = new("views");

    public static void Run(SmokeCheck smoke)
    {
        var serializer = new ReplicationSerializer([
            ReplicatedValueFormat.Create(CrdtCodecs.For<ORSet<string>>()),
            ReplicatedValueFormat.Create(CrdtCodecs.For<GCounter>()),
        ]);
        // The pump serializes every message; the "network" is a queue of frames.
        var wire = new Queue<(ReplicaId To, ReadOnlyMemory<byte> Frame)>();
        var alicePump = new ReplicationPump(new DeltaReplicator("alice"), serializer, (to, frame) => wire.Enqueue((to, frame)));
        var bobPump = new ReplicationPump(new DeltaReplicator("bob"), serializer, (to, frame) => wire.Enqueue((to, frame)));
        DeltaReplicator alice = alicePump.Replicator, bob = bobPump.Replicator;
        alice.AddPeer(bob.Replica);
        bob.AddPeer(alice.Replica);
        alice.Define(Cart, ORSet<string>.Empty);
        bob.Define(Views, GCounter.Empty);
        alice.Update(Cart, static (set, me, out delta) => set.Add(me, "milk", out delta));
        bob.Update(Views, static (counter, me, out delta) => counter.Increment(me, 3, out delta));

        alicePump.SyncRound();
        bobPump.SyncRound();
        int messages = 0;
        while (messages < 100 && wire.TryDequeue(out (ReplicaId To, ReadOnlyMemory<byte> Frame) next))
        {
            messages++;
            (next.To == alice.Replica ? alicePump : bobPump).Receive(next.Frame.Span);
        }

        smoke.Expect(alice.Vector.Equals(bob.Vector), $"replication: vectors agree after {messages} serialized messages");
        smoke.Expect(bob.Get(Cart).Contains("milk") && alice.Get(Views).Value == 3, "replication: both values arrived");
        byte[] snapshot = serializer.SerializeToBytes(alice.CreateSnapshot());
        smoke.Expect(DeltaReplicator.Restore(serializer.DeserializeSnapshot(snapshot), "alice").Vector.Equals(alice.Vector), "replication: snapshot round trip");
    }
}
