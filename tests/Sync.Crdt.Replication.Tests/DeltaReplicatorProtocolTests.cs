using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Replication.Tests.TestTypes;

namespace Sync.Crdt.Replication.Tests;

public class DeltaReplicatorProtocolTests
{
    private static TestCounter Increment(DeltaReplicator replicator, long amount) =>
        replicator.Update("hits", (TestCounter c, ReplicaId me, out TestCounter d) => c.Increment(me, amount, out d));

    private static DeltaReplicator CounterReplica(string id, ReplicatorOptions? options = null)
    {
        var replicator = new DeltaReplicator(id, options);
        replicator.Define("hits", TestCounter.Empty);
        replicator.Define("tags", GrowSet.Empty);
        return replicator;
    }

    [Fact]
    public void Sync_AfterOneUpdate_ShipsOneKeyDeltaNotFullState()
    {
        DeltaReplicator a = CounterReplica("a");
        DeltaReplicator b = CounterReplica("b");
        var network = new ReliableNetwork(a, b);
        network.SyncAll();
        for (int i = 0; i < 20; i++)
        {
            a.Update("tags", (GrowSet s, ReplicaId me, out GrowSet d) => s.Add(i, out d));
        }

        network.SyncAll();
        network.Delivered.Clear();

        Increment(a, 7);
        network.SyncFrom(b);

        DeltaGroupMessage group = Assert.Single(network.Delivered.OfType<DeltaGroupMessage>());
        Assert.Empty(network.Delivered.OfType<FullStateMessage>());
        KeyValuePair<string, ReplicatedValue> only = Assert.Single(group.Deltas);
        Assert.Equal("hits", only.Key);
        var delta = (TestCounter)only.Value.BoxedValue;
        Assert.Equal([new ReplicaId("a")], delta.Entries.Keys);
        Assert.Equal(7, b.Get<TestCounter>("hits").Value);
        Assert.Equal(a.Vector, b.Vector);
    }

    [Fact]
    public void Receive_SameGroupTwice_SecondIsIgnoredWithoutReply()
    {
        DeltaReplicator a = CounterReplica("a");
        DeltaReplicator b = CounterReplica("b");
        var network = new ReliableNetwork(a, b);
        network.SyncAll();
        Increment(a, 2);
        var group = (DeltaGroupMessage)a.Receive(new DigestMessage("b", b.Vector)).Single().Message;

        IReadOnlyList<OutgoingMessage> first = b.Receive(group);
        TestCounter after = b.Get<TestCounter>("hits");
        IReadOnlyList<OutgoingMessage> second = b.Receive(group);

        Assert.IsType<DigestMessage>(Assert.Single(first).Message);
        Assert.Empty(second);
        Assert.Same(after, b.Get<TestCounter>("hits"));
        Assert.Equal(2, after.Value);
    }

    [Fact]
    public void Receive_GroupWhoseBaseIsNotHeld_IsDroppedAndAnsweredWithDigest()
    {
        DeltaReplicator a = CounterReplica("a");
        DeltaReplicator c = CounterReplica("c");
        a.AddPeer("c");
        Increment(a, 1);
        Increment(a, 2);

        // A group computed against a digest that claims a:2, which c does not hold (c has never heard of a).
        var claimed = VersionVector.Create(new Dot("a", 2), new Dot("c", 2));
        var group = (DeltaGroupMessage)a.Receive(new DigestMessage("c", claimed)).Single().Message;
        TestCounter before = c.Get<TestCounter>("hits");
        VersionVector vectorBefore = c.Vector;

        OutgoingMessage reply = Assert.Single(c.Receive(group));

        var digest = Assert.IsType<DigestMessage>(reply.Message);
        Assert.Equal(vectorBefore, digest.Vector);
        Assert.Same(before, c.Get<TestCounter>("hits"));
        Assert.Same(vectorBefore, c.Vector);
    }

    [Fact]
    public void Receive_DigestBehindBufferFloor_AnswersWithFullStateAndConverges()
    {
        DeltaReplicator a = CounterReplica("a", new ReplicatorOptions(maxBufferedDeltas: 2));
        a.AddPeer("b");
        for (int i = 1; i <= 5; i++)
        {
            Increment(a, i);
        }

        Assert.Equal(2, a.BufferedDeltaCount);
        DeltaReplicator b = CounterReplica("b");

        ReplicationMessage answer = a.Receive(new DigestMessage("b", b.Vector)).Single().Message;
        b.Receive(answer);

        Assert.IsType<FullStateMessage>(answer);
        Assert.Equal(15, b.Get<TestCounter>("hits").Value);
        Assert.True(b.Vector.Dominates(a.Vector));
    }

    [Fact]
    public void Receive_DigestThatHasEverything_AnswersNothing()
    {
        DeltaReplicator a = CounterReplica("a");
        Increment(a, 1);

        Assert.Empty(a.Receive(new DigestMessage("b", a.Vector)));
    }

    [Fact]
    public void Acknowledgements_FromEveryPeer_EmptyTheBuffer()
    {
        DeltaReplicator a = CounterReplica("a");
        DeltaReplicator b = CounterReplica("b");
        DeltaReplicator c = CounterReplica("c");
        var network = new ReliableNetwork(a, b, c);
        Increment(a, 3);
        Assert.True(a.BufferedDeltaCount > 0);

        network.SyncAll();

        Assert.Equal(0, a.BufferedDeltaCount);
        Assert.Equal(0, b.BufferedDeltaCount);
        Assert.Equal(3, c.Get<TestCounter>("hits").Value);
    }

    [Fact]
    public void Acknowledgements_SilentPeerBlocksForgetting_UntilRemoved()
    {
        DeltaReplicator a = CounterReplica("a");
        DeltaReplicator b = CounterReplica("b");
        var network = new ReliableNetwork(a, b);
        a.AddPeer("silent");
        Increment(a, 3);
        network.SyncAll();
        int buffered = a.BufferedDeltaCount;

        bool removed = a.RemovePeer("silent");

        Assert.True(buffered > 0);
        Assert.True(removed);
        Assert.Equal(0, a.BufferedDeltaCount);
    }

    [Fact]
    public void Buffer_NeverExceedsBound()
    {
        DeltaReplicator a = CounterReplica("a", new ReplicatorOptions(maxBufferedDeltas: 3));
        a.AddPeer("b");
        for (int i = 0; i < 50; i++)
        {
            Increment(a, 1);
            Assert.True(a.BufferedDeltaCount <= 3);
        }
    }

    [Fact]
    public void Receive_TypeMismatch_ThrowsAndChangesNothing()
    {
        DeltaReplicator a = CounterReplica("a");
        var b = new DeltaReplicator("b");
        b.Define("hits", MaxRegister.Empty);
        b.Define("zzz", GrowSet.Empty);
        MaxRegister before = b.Get<MaxRegister>("hits");
        VersionVector vectorBefore = b.Vector;
        var full = new FullStateMessage("a", a.Vector, [
            new KeyValuePair<string, ReplicatedValue>("aaa", ReplicatedValue.Create(GrowSet.Empty)),
            new KeyValuePair<string, ReplicatedValue>("hits", ReplicatedValue.Create(TestCounter.Empty)),
        ]);

        Assert.Throws<ReplicationProtocolException>(() => b.Receive(full));

        Assert.Same(before, b.Get<MaxRegister>("hits"));
        Assert.Same(vectorBefore, b.Vector);
        Assert.False(b.TryGet<GrowSet>("aaa", out _));
    }

    [Fact]
    public void Receive_MessageFromOwnId_Throws()
    {
        DeltaReplicator a = CounterReplica("a");

        Assert.Throws<ReplicationProtocolException>(() => a.Receive(new DigestMessage("a", VersionVector.Empty)));
    }

    [Fact]
    public void Receive_UnknownKey_IsAdoptedWithItsType()
    {
        var a = new DeltaReplicator("a");
        a.Define("only-at-a", GrowSet.Empty);
        a.Update("only-at-a", (GrowSet s, ReplicaId me, out GrowSet d) => s.Add(4, out d));
        var b = new DeltaReplicator("b");
        var network = new ReliableNetwork(a, b);

        network.SyncAll();

        Assert.Equal([4], b.Get<GrowSet>("only-at-a").Elements);
    }

    [Fact]
    public void Messages_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => new DigestMessage(default, VersionVector.Empty));
        Assert.Throws<ArgumentNullException>(() => new DigestMessage("a", null!));
        Assert.Throws<ArgumentException>(() => new FullStateMessage("a", VersionVector.Empty, [
            new KeyValuePair<string, ReplicatedValue>("k", ReplicatedValue.Create(GrowSet.Empty)),
            new KeyValuePair<string, ReplicatedValue>("k", ReplicatedValue.Create(GrowSet.Empty)),
        ]));
        Assert.Throws<ArgumentException>(() => new OutgoingMessage(default, new DigestMessage("a", VersionVector.Empty)));
    }
}
