using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Replication.Tests.TestTypes;

namespace Sync.Crdt.Replication.Tests;

/// <summary>Peer acknowledgements can be read out and restored (how a store keeps them across restarts).</summary>
public class PeerAcknowledgementTests
{
    private static readonly ReplicatedKey<TestCounter> Hits = new("hits");

    [Fact]
    public void GetPeerAcknowledgements_ReportsWhatEachPeerSaid_NullForSilentPeers()
    {
        var a = new DeltaReplicator("a");
        a.Define(Hits, TestCounter.Empty);
        a.AddPeer("b");
        a.AddPeer("c");
        a.Receive(new DigestMessage("b", a.Vector));
        IReadOnlyList<KeyValuePair<ReplicaId, VersionVector?>> acks = a.GetPeerAcknowledgements();
        Assert.Equal([new ReplicaId("b"), new ReplicaId("c")], [acks[0].Key, acks[1].Key]);
        Assert.Equal(a.Vector, acks[0].Value);
        Assert.Null(acks[1].Value);
    }

    [Fact]
    public void AddPeer_WithAcknowledgement_LetsTheBufferForgetAndPushesStartAtOnce()
    {
        var a = new DeltaReplicator("a");
        a.Define(Hits, TestCounter.Empty);
        a.Update(Hits, (c, me, out d) => c.Increment(me, 2, out d));
        VersionVector held = a.Vector;
        Assert.Equal(2, a.BufferedDeltaCount);

        Assert.True(a.AddPeer("b", held));
        Assert.Equal(0, a.BufferedDeltaCount); // every peer holds everything
        Assert.Equal(held, a.GetPeerAcknowledgements()[0].Value);

        a.Update(Hits, (c, me, out d) => c.Increment(me, 1, out d));
        OutgoingMessage push = Assert.Single(a.CreatePushMessages());
        Assert.Equal(held, Assert.IsType<DeltaGroupMessage>(push.Message).Base);

        Assert.False(a.AddPeer("b", VersionVector.Empty)); // known peer: joined, never lowered
        Assert.Equal(held, a.GetPeerAcknowledgements()[0].Value);
        Assert.Throws<System.ArgumentException>(() => a.AddPeer("a", held));
    }
}
