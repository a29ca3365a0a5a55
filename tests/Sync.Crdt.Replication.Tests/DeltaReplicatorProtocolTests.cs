using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Replication.Tests.TestTypes;

namespace Sync.Crdt.Replication.Tests;

public class DeltaReplicatorProtocolTests
{
    private static readonly ReplicatedKey<TestCounter> Hits = new("hits");
    private static readonly ReplicatedKey<GrowSet> Tags = new("tags");

    private static TestCounter Increment(DeltaReplicator replicator, long amount) =>
        replicator.Update(Hits, (c, me, out d) => c.Increment(me, amount, out d));

    private static DeltaReplicator CounterReplica(string id, ReplicatorOptions? options = null)
    {
        var replicator = new DeltaReplicator(id, options);
        replicator.Define(Hits, TestCounter.Empty);
        replicator.Define(Tags, GrowSet.Empty);
        return replicator;
    }

    private static ReplicationMessage Answer(DeltaReplicator replicator, DigestMessage digest) =>
        Assert.Single(replicator.Receive(digest).Replies).Message;

    [Fact]
    public void Sync_AfterOneUpdate_ShipsOneKeyDeltaNotFullState()
    {
        DeltaReplicator a = CounterReplica("a");
        DeltaReplicator b = CounterReplica("b");
        var network = new LoopbackNetwork(a, b);
        network.SyncAll();
        for (int i = 0; i < 20; i++)
        {
            a.Update(Tags, (s, me, out d) => s.Add(i, out d));
        }

        network.SyncAll();
        network.ClearRecords();

        Increment(a, 7);
        network.SyncFrom(b);

        DeltaGroupMessage group = Assert.Single(network.Delivered.OfType<DeltaGroupMessage>());
        Assert.Empty(network.Delivered.OfType<FullStateMessage>());
        KeyValuePair<string, ReplicatedValue> only = Assert.Single(group.Deltas);
        Assert.Equal("hits", only.Key);
        var delta = (TestCounter)only.Value.BoxedValue;
        Assert.Equal([new ReplicaId("a")], delta.Entries.Keys);
        Assert.Equal(7, b.Get(Hits).Value);
        Assert.Equal(a.Vector, b.Vector);
        Assert.Equal(
            [ReceiveOutcome.Answered, ReceiveOutcome.Applied, ReceiveOutcome.UpToDate],
            network.Results.Select(r => r.Outcome));
    }

    [Fact]
    public void Receive_SameGroupTwice_SecondIsIgnoredWithoutReply()
    {
        DeltaReplicator a = CounterReplica("a");
        DeltaReplicator b = CounterReplica("b");
        var network = new LoopbackNetwork(a, b);
        network.SyncAll();
        VersionVector before = b.Vector;
        Increment(a, 2);
        var group = (DeltaGroupMessage)Answer(a, new DigestMessage("b", b.Vector));

        ReceiveResult first = b.Receive(group);
        TestCounter after = b.Get(Hits);
        ReceiveResult second = b.Receive(group);

        Assert.Equal(ReceiveOutcome.Applied, first.Outcome);
        Assert.IsType<DigestMessage>(Assert.Single(first.Replies).Message);
        Assert.NotNull(first.Entry);
        Assert.Same(before, first.Entry.From);
        Assert.Equal(b.Vector, first.Entry.To);
        Assert.Equal(group.Deltas.ToArray(), first.Entry.Deltas.ToArray());
        Assert.Equal(ReceiveOutcome.AlreadyHeld, second.Outcome);
        Assert.Null(second.Entry);
        Assert.Empty(second.Replies);
        Assert.Same(after, b.Get(Hits));
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
        var group = (DeltaGroupMessage)Answer(a, new DigestMessage("c", claimed));
        TestCounter before = c.Get(Hits);
        VersionVector vectorBefore = c.Vector;

        ReceiveResult result = c.Receive(group);

        Assert.Equal(ReceiveOutcome.OutOfCausalOrder, result.Outcome);
        Assert.Null(result.Entry);
        var digest = Assert.IsType<DigestMessage>(Assert.Single(result.Replies).Message);
        Assert.Equal(vectorBefore, digest.Vector);
        Assert.Same(before, c.Get(Hits));
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

        ReceiveResult answered = a.Receive(new DigestMessage("b", b.Vector));
        ReceiveResult applied = b.Receive(Assert.Single(answered.Replies).Message);

        Assert.Equal(ReceiveOutcome.Answered, answered.Outcome);
        Assert.IsType<FullStateMessage>(answered.Replies[0].Message);
        Assert.Equal(ReceiveOutcome.Applied, applied.Outcome);
        Assert.Equal(15, b.Get(Hits).Value);
        Assert.True(b.Vector.Dominates(a.Vector));
        Assert.Equal(ReceiveOutcome.AlreadyHeld, b.Receive(answered.Replies[0].Message).Outcome);
    }

    [Fact]
    public void Receive_DigestThatHasEverything_AnswersNothing()
    {
        DeltaReplicator a = CounterReplica("a");
        Increment(a, 1);

        ReceiveResult result = a.Receive(new DigestMessage("b", a.Vector));

        Assert.Equal(ReceiveOutcome.UpToDate, result.Outcome);
        Assert.Empty(result.Replies);
    }

    [Fact]
    public void Acknowledgements_FromEveryPeer_EmptyTheBuffer()
    {
        DeltaReplicator a = CounterReplica("a");
        DeltaReplicator b = CounterReplica("b");
        DeltaReplicator c = CounterReplica("c");
        var network = new LoopbackNetwork(a, b, c);
        Increment(a, 3);
        Assert.True(a.BufferedDeltaCount > 0);

        network.SyncAll();

        Assert.Equal(0, a.BufferedDeltaCount);
        Assert.Equal(0, b.BufferedDeltaCount);
        Assert.Equal(a.Vector, a.BufferFloor);
        Assert.Equal(3, c.Get(Hits).Value);
    }

    [Fact]
    public void Acknowledgements_SilentPeerBlocksForgetting_UntilRemoved()
    {
        DeltaReplicator a = CounterReplica("a");
        DeltaReplicator b = CounterReplica("b");
        var network = new LoopbackNetwork(a, b);
        a.AddPeer("silent");
        Increment(a, 3);
        network.SyncAll();
        int buffered = a.BufferedDeltaCount;
        VersionVector floor = a.BufferFloor;

        bool removed = a.RemovePeer("silent");

        Assert.True(buffered > 0);
        Assert.Equal(VersionVector.Empty, floor);
        Assert.True(removed);
        Assert.False(a.RemovePeer("silent"));
        Assert.Equal(0, a.BufferedDeltaCount);
    }

    [Fact]
    public void NoPeers_BufferKeepsEntriesUpToTheBound()
    {
        DeltaReplicator a = CounterReplica("a", new ReplicatorOptions(maxBufferedDeltas: 3));
        Increment(a, 1);

        Assert.Equal(3, a.BufferedDeltaCount);
        Increment(a, 1);
        Assert.Equal(3, a.BufferedDeltaCount);
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
        var hitsAsMax = new ReplicatedKey<MaxRegister>("hits");
        b.Define(hitsAsMax, MaxRegister.Empty);
        b.Define(new ReplicatedKey<GrowSet>("zzz"), GrowSet.Empty);
        b.AddPeer("a");
        MaxRegister before = b.Get(hitsAsMax);
        VersionVector vectorBefore = b.Vector;
        var full = new FullStateMessage("a", a.Vector, [
            new KeyValuePair<string, ReplicatedValue>("aaa", ReplicatedValue.Create(GrowSet.Empty)),
            new KeyValuePair<string, ReplicatedValue>("hits", ReplicatedValue.Create(TestCounter.Empty)),
        ]);

        Assert.Throws<ReplicationProtocolException>(() => b.Receive(full));

        Assert.Same(before, b.Get(hitsAsMax));
        Assert.Same(vectorBefore, b.Vector);
        Assert.False(b.TryGet(new ReplicatedKey<GrowSet>("aaa"), out _));

        // Not even the sender's acknowledgement was recorded: b never heard from a, so it keeps its deltas.
        Assert.Equal(2, b.BufferedDeltaCount);
        Assert.Empty(b.CreatePushMessages());
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
        var onlyAtA = new ReplicatedKey<GrowSet>("only-at-a");
        var a = new DeltaReplicator("a");
        a.Define(onlyAtA, GrowSet.Empty);
        a.Update(onlyAtA, static (s, me, out d) => s.Add(4, out d));
        var b = new DeltaReplicator("b");
        var network = new LoopbackNetwork(a, b);

        network.SyncAll();

        Assert.Equal([4], b.Get(onlyAtA).Elements);
        Assert.Equal(["only-at-a"], b.Keys);
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
        Assert.Throws<ArgumentNullException>(() => new ReceiveResult(null!, ReceiveOutcome.UpToDate, null, []));
    }

    [Fact]
    public void CreateSyncMessage_ToNonPeer_IsOurDigest_AndItsAnswerConverges()
    {
        DeltaReplicator a = CounterReplica("a");
        Increment(a, 4);
        DeltaReplicator b = CounterReplica("b");

        OutgoingMessage hello = b.CreateSyncMessage("a");
        ReceiveResult answer = a.Receive(hello.Message);
        b.Receive(Assert.Single(answer.Replies).Message);

        Assert.Equal(new ReplicaId("a"), hello.Recipient);
        Assert.Equal(VersionVector.Create(new Dot("b", 2)), Assert.IsType<DigestMessage>(hello.Message).Vector);
        Assert.Equal(4, b.Get(Hits).Value);
        Assert.Empty(a.Peers);
    }
}
