using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication.Tests.TestTypes;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Replication.Tests;

public class ReplicationPumpTests
{
    private static readonly ReplicatedKey<TestCounter> Hits = new("hits");

    private static DeltaReplicator Replica(string id)
    {
        var replicator = new DeltaReplicator(id);
        replicator.Define(Hits, TestCounter.Empty);
        return replicator;
    }

    private static void Increment(DeltaReplicator replicator, long amount) =>
        replicator.Update(Hits, (c, me, out d) => c.Increment(me, amount, out d));

    private static (ReplicationPump Pump, List<(ReplicaId To, ReadOnlyMemory<byte> Frame)> Sent) PumpWithOutbox(DeltaReplicator replicator, ReplicationPumpOptions? options = null)
    {
        var sent = new List<(ReplicaId To, ReadOnlyMemory<byte> Frame)>();
        return (new ReplicationPump(replicator, TestFormats.Serializer, (to, frame) => sent.Add((to, frame)), options), sent);
    }

    private static ReplicationMessage Decode(ReadOnlyMemory<byte> frame) => TestFormats.Serializer.Deserialize(frame.Span);

    [Fact]
    public void SyncRound_EncodesTheDigestOnce_AndHandsItToEveryPeer()
    {
        DeltaReplicator a = Replica("a");
        a.AddPeer("c");
        a.AddPeer("b");
        (ReplicationPump pump, var sent) = PumpWithOutbox(a);

        pump.SyncRound();

        Assert.Equal([new ReplicaId("b"), new ReplicaId("c")], sent.Select(s => s.To));
        Assert.True(sent[0].Frame.Equals(sent[1].Frame), "one encoding shared by both recipients");
        Assert.Equal(a.Vector, Assert.IsType<DigestMessage>(Decode(sent[0].Frame)).Vector);
        Assert.Equal(2, pump.FramesSent);
        Assert.Equal(2L * sent[0].Frame.Length, pump.BytesSent);
    }

    [Fact]
    public void Receive_Frame_AppliesIt_SendsTheReplyToTheSender_AndCounts()
    {
        DeltaReplicator a = Replica("a");
        Increment(a, 6);
        DeltaReplicator b = Replica("b");
        (ReplicationPump pump, var sent) = PumpWithOutbox(b);
        byte[] group = TestFormats.Serializer.SerializeToBytes(Assert.Single(a.Receive(new DigestMessage("b", b.Vector)).Replies).Message);

        ReceiveResult result = pump.Receive(Segments.Of(group[..5], group[5..]));

        Assert.Equal(ReceiveOutcome.Applied, result.Outcome);
        Assert.Equal(6, b.Get(Hits).Value);
        (ReplicaId to, ReadOnlyMemory<byte> reply) = Assert.Single(sent);
        Assert.Equal(new ReplicaId("a"), to);
        Assert.Equal(b.Vector, Assert.IsType<DigestMessage>(Decode(reply)).Vector);
        Assert.Equal(1, pump.FramesReceived);
        Assert.Equal(group.Length, pump.BytesReceived);
    }

    [Fact]
    public void Receive_Garbage_ThrowsFormatException_NothingChangesOrLeaves()
    {
        DeltaReplicator b = Replica("b");
        (ReplicationPump pump, var sent) = PumpWithOutbox(b);
        VersionVector before = b.Vector;
        byte[] valid = TestFormats.Serializer.SerializeToBytes(new DigestMessage("a", VersionVector.Empty));

        Assert.Throws<CrdtFormatException>(() => pump.Receive(valid.AsSpan(0, valid.Length - 1)));
        Assert.Throws<CrdtFormatException>(() => pump.Receive([0x53, 0x43, 0x01, 0x01, 0x7F]));
        Assert.Throws<ReplicationProtocolException>(() => pump.Receive(TestFormats.Serializer.SerializeToBytes(new DigestMessage("b", VersionVector.Empty))));

        Assert.Empty(sent);
        Assert.Same(before, b.Vector);
        Assert.Equal(1, pump.FramesReceived);
    }

    [Fact]
    public void Receive_FromAnotherSenderThanTheConnection_IsRejectedBeforeAnythingChanges()
    {
        DeltaReplicator a = Replica("a");
        Increment(a, 2);
        DeltaReplicator b = Replica("b");
        (ReplicationPump pump, var sent) = PumpWithOutbox(b);
        ReplicationMessage group = Assert.Single(a.Receive(new DigestMessage("b", b.Vector)).Replies).Message;
        byte[] frame = TestFormats.Serializer.SerializeToBytes(group);
        VersionVector before = b.Vector;

        Assert.Throws<ReplicationProtocolException>(() => pump.Receive(frame, from: "mallory"));
        Assert.Throws<ReplicationProtocolException>(() => pump.Receive(Segments.Of(frame), from: "mallory"));
        Assert.Throws<ReplicationProtocolException>(() => pump.Receive(group, from: "mallory"));
        Assert.Same(before, b.Vector);
        Assert.Empty(sent);
        Assert.Equal(0, pump.FramesReceived);

        ReceiveResult result = pump.Receive(group, from: "a");
        Assert.Equal(ReceiveOutcome.Applied, result.Outcome);
        Assert.Single(sent);
        Assert.Equal(1, pump.FramesReceived);
        Assert.Equal(0, pump.BytesReceived);
    }

    [Fact]
    public void HoldUntilDurable_AcknowledgementWaitsForTheCommitOfWhatItAcknowledges()
    {
        DeltaReplicator a = Replica("a");
        DeltaReplicator b = Replica("b");
        a.AddPeer("b");
        b.AddPeer("a");
        (ReplicationPump pumpB, var sentB) = PumpWithOutbox(b, new ReplicationPumpOptions { HoldUntilDurable = true });
        Increment(a, 3);
        byte[] group = TestFormats.Serializer.SerializeToBytes(Assert.Single(a.Receive(new DigestMessage("b", b.Vector)).Replies).Message);

        ReceiveResult result = pumpB.Receive(group);

        Assert.Equal(ReceiveOutcome.Applied, result.Outcome);
        Assert.Empty(sentB);
        Assert.Equal(1, pumpB.HeldFrameCount);

        // A sync round while the entry is not committed is held too: its digest would acknowledge the entry.
        pumpB.SyncRound();
        Assert.Empty(sentB);
        Assert.Equal(2, pumpB.HeldFrameCount);

        // Committing something older releases nothing; committing the entry releases both, in order.
        pumpB.MarkDurable(result.Entry!.From);
        Assert.Empty(sentB);
        pumpB.MarkDurable(result.Entry.To);
        Assert.Equal(2, sentB.Count);
        Assert.Equal(0, pumpB.HeldFrameCount);
        Assert.Equal(result.Entry.To, pumpB.DurableVector);
        Assert.All(sentB, s => Assert.Equal(b.Vector, Assert.IsType<DigestMessage>(Decode(s.Frame)).Vector));

        // Once everything is durable, frames leave at once.
        pumpB.SyncRound();
        Assert.Equal(3, sentB.Count);
    }

    [Fact]
    public void HoldUntilDurable_LocalUpdateIsHeldUntilCommitted_AndTheStateAtCreationCountsAsDurable()
    {
        DeltaReplicator a = Replica("a");
        a.AddPeer("b");
        a.Receive(new DigestMessage("b", VersionVector.Empty));
        (ReplicationPump pump, var sent) = PumpWithOutbox(a, new ReplicationPumpOptions { HoldUntilDurable = true });

        pump.SyncRound();
        Assert.Single(sent);

        a.Update(Hits, static (c, me, out d) => c.Increment(me, 1, out d), out DeltaLogEntry? entry);
        pump.Push();
        Assert.Single(sent);
        pump.MarkDurable(entry!.To);

        Assert.Equal(2, sent.Count);
        Assert.IsType<DeltaGroupMessage>(Decode(sent[1].Frame));
    }

    [Fact]
    public void WithoutHolding_FramesLeaveAtOnce_AndMarkDurableIsHarmless()
    {
        DeltaReplicator a = Replica("a");
        a.AddPeer("b");
        (ReplicationPump pump, var sent) = PumpWithOutbox(a);
        Increment(a, 1);

        pump.SyncRound();
        pump.MarkDurable(VersionVector.Empty);

        Assert.Single(sent);
        Assert.Equal(0, pump.HeldFrameCount);
    }

    [Fact]
    public void SyncWith_SendsOurDigestToOneReplica()
    {
        DeltaReplicator a = Replica("a");
        (ReplicationPump pump, var sent) = PumpWithOutbox(a);

        pump.SyncWith("server");

        Assert.Equal(new ReplicaId("server"), Assert.Single(sent).To);
        Assert.Throws<ArgumentException>(() => pump.SyncWith("a"));
    }

    [Fact]
    public void Send_UnencodableMessage_ThrowsAndSendsNothingOfTheCall()
    {
        DeltaReplicator a = Replica("a");
        (ReplicationPump pump, var sent) = PumpWithOutbox(a);
        var unregistered = new FullStateMessage("a", VersionVector.Empty, [new("k", ReplicatedValue.Create(Sync.Crdt.Counters.GCounter.Empty))]);
        var fine = new DigestMessage("a", VersionVector.Empty);
        var pumpWithFewFormats = new ReplicationPump(a, new Encoding.ReplicationSerializer([TestFormats.Counter]), (to, frame) => sent.Add((to, frame)));

        Assert.Throws<ArgumentException>(() => pumpWithFewFormats.Send([new OutgoingMessage("b", fine), new OutgoingMessage("c", unregistered)]));

        Assert.Empty(sent);
        pump.Send([]);
        Assert.Empty(sent);
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        DeltaReplicator a = Replica("a");

        Assert.Throws<ArgumentNullException>(() => new ReplicationPump(null!, TestFormats.Serializer, (_, _) => { }));
        Assert.Throws<ArgumentNullException>(() => new ReplicationPump(a, null!, (_, _) => { }));
        Assert.Throws<ArgumentNullException>(() => new ReplicationPump(a, TestFormats.Serializer, null!));
        Assert.Throws<ArgumentNullException>(() => new ReplicationPump(a, TestFormats.Serializer, (_, _) => { }).MarkDurable(null!));
        Assert.Throws<ArgumentNullException>(() => new ReplicationPump(a, TestFormats.Serializer, (_, _) => { }).Receive((ReplicationMessage)null!));
    }
}
