using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Sets;

namespace Sync.Crdt.AotSmoke;

/// <summary>Two replicators exchange serialized messages until they agree.</summary>
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
        var alice = new DeltaReplicator("alice");
        var bob = new DeltaReplicator("bob");
        alice.AddPeer(bob.Replica);
        bob.AddPeer(alice.Replica);
        alice.Define(Cart, ORSet<string>.Empty);
        bob.Define(Views, GCounter.Empty);
        alice.Update(Cart, static (set, me, out delta) => set.Add(me, "milk", out delta));
        bob.Update(Views, static (counter, me, out delta) => counter.Increment(me, 3, out delta));

        int messages = 0;
        var inbox = new Queue<OutgoingMessage>([.. alice.CreateSyncMessages(), .. bob.CreateSyncMessages()]);
        while (inbox.Count > 0 && messages < 100)
        {
            OutgoingMessage next = inbox.Dequeue();
            DeltaReplicator recipient = next.Recipient == alice.Replica ? alice : bob;
            ReplicationMessage decoded = serializer.Deserialize(serializer.SerializeToBytes(next.Message));
            messages++;
            foreach (OutgoingMessage reply in recipient.Receive(decoded).Replies)
            {
                inbox.Enqueue(reply);
            }
        }

        smoke.Expect(alice.Vector.Equals(bob.Vector), $"replication: vectors agree after {messages} serialized messages");
        smoke.Expect(bob.Get(Cart).Contains("milk") && alice.Get(Views).Value == 3, "replication: both values arrived");
        byte[] snapshot = serializer.SerializeToBytes(alice.CreateSnapshot());
        smoke.Expect(DeltaReplicator.Restore(serializer.DeserializeSnapshot(snapshot), "alice").Vector.Equals(alice.Vector), "replication: snapshot round trip");
    }
}
