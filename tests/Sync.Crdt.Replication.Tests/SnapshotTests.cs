using System;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Replication.Tests.TestTypes;

namespace Sync.Crdt.Replication.Tests;

public class SnapshotTests
{
    private static readonly ReplicatedKey<TestCounter> Hits = new("hits");

    private static TestCounter Increment(DeltaReplicator replicator, long amount) =>
        replicator.Update(Hits, (c, me, out d) => c.Increment(me, amount, out d));

    private static DeltaReplicator CounterReplica(string id)
    {
        var replicator = new DeltaReplicator(id);
        replicator.Define(Hits, TestCounter.Empty);
        return replicator;
    }

    [Fact]
    public void CreateSnapshot_ThenRestore_HoldsSameValuesAndVector()
    {
        DeltaReplicator a = CounterReplica("a");
        Increment(a, 4);

        ReplicatorSnapshot snapshot = a.CreateSnapshot();
        DeltaReplicator restored = DeltaReplicator.Restore(snapshot, "a");

        Assert.Equal(a.Vector, restored.Vector);
        Assert.Same(a.Get(Hits), restored.Get(Hits));
        Assert.Equal(0, restored.BufferedDeltaCount);
        Assert.Empty(restored.Peers);
    }

    [Fact]
    public void Restore_OldSnapshotUnderFreshId_ConvergesAndLaterLocalUpdatesSurvive()
    {
        DeltaReplicator a = CounterReplica("a");
        DeltaReplicator b = CounterReplica("b");
        var network = new LoopbackNetwork(a, b);
        Increment(b, 1);
        network.SyncAll();
        ReplicatorSnapshot old = b.CreateSnapshot();
        Increment(b, 10);
        Increment(a, 100);
        network.SyncAll();

        // b's disk is restored from the old snapshot; it continues as b2.
        DeltaReplicator b2 = DeltaReplicator.Restore(old, "b2");
        Increment(b2, 1000);
        var healed = new LoopbackNetwork(a, b2);
        a.RemovePeer("b");
        healed.SyncAll();

        Assert.Equal(1111, a.Get(Hits).Value);
        Assert.Equal(a.Get(Hits), b2.Get(Hits));
        Assert.Equal(a.Vector, b2.Vector);
    }

    [Fact]
    public void Restore_SameIdBehindWhatPeersAcknowledged_PeerAnswersFromTheDigestAndConverges()
    {
        DeltaReplicator a = CounterReplica("a");
        DeltaReplicator b = CounterReplica("b");
        var network = new LoopbackNetwork(a, b);
        network.SyncAll();
        ReplicatorSnapshot old = b.CreateSnapshot();
        Increment(a, 5);
        network.SyncAll();
        Assert.Equal(5, b.Get(Hits).Value);

        // b restarts from the older snapshot (it made no updates since): its digest is behind what it acked.
        DeltaReplicator restarted = DeltaReplicator.Restore(old, "b");
        Assert.Equal(0, restarted.Get(Hits).Value);
        ReplicationMessage answer = a.Receive(new DigestMessage("b", restarted.Vector)).Replies.Single().Message;
        restarted.Receive(answer);

        Assert.Equal(5, restarted.Get(Hits).Value);
        Assert.Equal(a.Vector, restarted.Vector);
    }

    [Fact]
    public void Restore_UnderAnotherReplicasIdThatHasEvents_Throws()
    {
        DeltaReplicator a = CounterReplica("a");
        DeltaReplicator b = CounterReplica("b");
        new LoopbackNetwork(a, b).SyncAll();

        Assert.Throws<ArgumentException>(() => DeltaReplicator.Restore(b.CreateSnapshot(), "a"));
        Assert.Throws<ArgumentNullException>(() => DeltaReplicator.Restore(null!, "a"));
    }

    [Fact]
    public void LateJoiner_AfterBufferOverflow_ReceivesFullStateAndConverges()
    {
        var options = new ReplicatorOptions(maxBufferedDeltas: 4);
        var a = new DeltaReplicator("a", options);
        a.Define(Hits, TestCounter.Empty);
        var b = new DeltaReplicator("b", options);
        var network = new LoopbackNetwork(a, b);
        for (int i = 0; i < 40; i++)
        {
            Increment(a, 1);
            network.SyncFrom(b);
        }

        var late = new DeltaReplicator("late", options);
        network.Join(late);
        network.ClearRecords();
        network.SyncFrom(late);

        Assert.NotEmpty(network.Delivered.OfType<FullStateMessage>());
        Assert.Equal(40, late.Get(Hits).Value);
        Assert.Equal(a.Vector, late.Vector);
    }
}
