using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Replication.Tests.TestTypes;

namespace Sync.Crdt.Replication.Tests;

/// <summary>Pushes: a replica ships what each peer lacks without waiting for the peer's digest.</summary>
public class PushTests
{
    private static readonly ReplicatedKey<TestCounter> Hits = new("hits");

    private static DeltaReplicator Replica(string id, int bound = ReplicatorOptions.DefaultMaxBufferedDeltas)
    {
        var replicator = new DeltaReplicator(id, new ReplicatorOptions(bound));
        replicator.Define(Hits, TestCounter.Empty);
        return replicator;
    }

    private static void Increment(DeltaReplicator replicator, long amount) =>
        replicator.Update(Hits, (c, me, out d) => c.Increment(me, amount, out d));

    [Fact]
    public void Push_AfterLocalUpdate_EveryPeerAppliesItWithoutASyncRound()
    {
        DeltaReplicator a = Replica("a");
        DeltaReplicator b = Replica("b");
        DeltaReplicator c = Replica("c");
        var network = new LoopbackNetwork(a, b, c);
        network.SyncAll();
        network.ClearRecords();

        Increment(a, 5);
        network.PushFrom(a);

        Assert.Equal(2, network.Delivered.OfType<DeltaGroupMessage>().Count());
        Assert.Equal(2, network.Results.Count(r => r.Outcome == ReceiveOutcome.Applied));
        Assert.Equal(5, b.Get(Hits).Value);
        Assert.Equal(5, c.Get(Hits).Value);
        Assert.Equal(a.Vector, b.Vector);

        // The acknowledgements came back with the pushes: a may forget the delta.
        Assert.Equal(0, a.BufferedDeltaCount);
    }

    [Fact]
    public void Push_ToPeerThatNeverReported_SendsNothing()
    {
        DeltaReplicator a = Replica("a");
        a.AddPeer("b");
        Increment(a, 1);

        Assert.Empty(a.CreatePushMessages());
    }

    [Fact]
    public void Push_TwiceWithoutAcknowledgement_SecondCarriesOnlyTheNewDelta()
    {
        DeltaReplicator a = Replica("a");
        DeltaReplicator b = Replica("b");
        new LoopbackNetwork(a, b).SyncAll();

        Increment(a, 1);
        var first = (DeltaGroupMessage)Assert.Single(a.CreatePushMessages()).Message;
        Increment(a, 2);
        var second = (DeltaGroupMessage)Assert.Single(a.CreatePushMessages()).Message;

        Assert.Equal(first.Top, second.Base);
        Assert.Empty(a.CreatePushMessages());
        Assert.Equal(ReceiveOutcome.Applied, b.Receive(first).Outcome);
        Assert.Equal(ReceiveOutcome.Applied, b.Receive(second).Outcome);
        Assert.Equal(3, b.Get(Hits).Value);
    }

    [Fact]
    public void Push_AfterALostPush_IsRejectedByTheCausalRule_AndTheDigestRepairsIt()
    {
        DeltaReplicator a = Replica("a");
        DeltaReplicator b = Replica("b");
        new LoopbackNetwork(a, b).SyncAll();

        Increment(a, 1);
        _ = a.CreatePushMessages(); // lost on the way
        Increment(a, 2);
        ReplicationMessage second = Assert.Single(a.CreatePushMessages()).Message;

        ReceiveResult rejected = b.Receive(second);
        Assert.Equal(ReceiveOutcome.OutOfCausalOrder, rejected.Outcome);
        ReceiveResult answered = a.Receive(Assert.Single(rejected.Replies).Message);
        ReceiveResult applied = b.Receive(Assert.Single(answered.Replies).Message);

        Assert.Equal(ReceiveOutcome.Applied, applied.Outcome);
        Assert.Equal(3, b.Get(Hits).Value);
        Assert.Equal(a.Vector, b.Vector);

        // The repair brought b up to date: the next push starts from b's real state.
        Increment(a, 4);
        var third = (DeltaGroupMessage)Assert.Single(a.CreatePushMessages()).Message;
        Assert.Equal(b.Vector, third.Base);
    }

    [Fact]
    public void Push_WhenTheBufferNoLongerReachesThePeer_SendsNothing_AndTheNextDigestGetsTheFullState()
    {
        DeltaReplicator a = Replica("a", bound: 2);
        DeltaReplicator b = Replica("b");
        var network = new LoopbackNetwork(a, b);
        network.SyncAll();
        a.RemovePeer("b");
        for (int i = 0; i < 5; i++)
        {
            Increment(a, 1);
        }

        a.AddPeer("b");
        a.Receive(new DigestMessage("b", b.Vector)); // b reports, but a's buffer starts after b's state

        Assert.False(b.Vector.Dominates(a.BufferFloor));
        Assert.Empty(a.CreatePushMessages());
        network.ClearRecords();
        network.SyncFrom(b);
        Assert.Single(network.Delivered.OfType<FullStateMessage>());
        Assert.Equal(5, b.Get(Hits).Value);
    }
}
