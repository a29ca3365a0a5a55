using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;

namespace Sync.Crdt.Replication.Tests;

/// <summary>Keeps the sample in docs/replication.md compiling and correct (the code below is copied verbatim).</summary>
public class DocsSampleTests
{
    [Fact]
    public void ReplicationDocSample_RunsAndBobSeesAlicesIncrement()
    {
        var alice = new DeltaReplicator("alice");
        var bob = new DeltaReplicator("bob");
        alice.AddPeer(bob.Replica);
        bob.AddPeer(alice.Replica);

        alice.Define("page-views", GCounter.Empty);
        alice.Update("page-views", (GCounter c, ReplicaId me, out GCounter delta) => c.Increment(me, 3, out delta));

        // A sync round: bob asks alice for what he lacks; the transport delivers, replies included.
        var inbox = new Queue<OutgoingMessage>(bob.CreateSyncMessages());
        while (inbox.Count > 0)
        {
            OutgoingMessage next = inbox.Dequeue();
            DeltaReplicator target = next.Recipient == alice.Replica ? alice : bob;
            foreach (OutgoingMessage reply in target.Receive(next.Message))
            {
                inbox.Enqueue(reply);
            }
        }

        long views = bob.Get<GCounter>("page-views").Value; // 3

        Assert.Equal(3, views);
        Assert.Equal(alice.Vector, bob.Vector);
    }
}
