using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Protocol.Sessions;
using Sync.Crdt.Replication;
using static Sync.Crdt.Protocol.Tests.Sessions.SessionHarness;

namespace Sync.Crdt.Protocol.Tests.Sessions;

public sealed class ValuesSessionTests
{
    [Fact]
    public void Update_AckIsReleasedOnlyByCommitDone()
    {
        var session = new ValuesSession("doc", Server, Serializer);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        var bob = new SessionMember(Bob, 7, canWrite: true);
        Assert.Empty(session.Handle(DocumentInput.Open(alice, OpenValues(1, Alice, VersionVector.Empty), 0)));
        Assert.Empty(session.Handle(DocumentInput.Open(bob, OpenValues(7, Bob, VersionVector.Empty), 0)));
        List<DocumentOutput> opened = session.Settle();
        Assert.Single(opened.FramesTo<SyncedFrame>(alice));
        Assert.Single(opened.FramesTo<SyncedFrame>(bob));

        DeltaReplicator client = ClientWithOneView(Alice);
        Assert.Empty(session.Handle(DocumentInput.Received(alice, Update(1, 1, client.CreatePushMessages().Single().Message), 0, receivedAt: 42)));

        List<DocumentOutput> ended = session.Handle(DocumentInput.EndBatch());
        DocumentOutput commit = Assert.Single(ended);
        Assert.Equal(DocumentOutputKind.Commit, commit.Kind);
        Assert.Single(commit.Appends!);
        Assert.True(session.IsCommitting);
        Assert.Throws<InvalidOperationException>(() => session.Handle(DocumentInput.Tick(1)));

        List<DocumentOutput> released = session.Handle(DocumentInput.CommitDone());
        AckFrame ack = Assert.Single(released.Acks());
        Assert.Equal((1L, 1L), (ack.Channel, ack.Sequence));
        Assert.Equal(42, released.Single(o => o.Frame is AckFrame).ReceivedAt);
        Assert.NotEmpty(released.FramesTo<UpdateFrame>(bob));
        Assert.Equal(1, session.Replicator.Get(Views).Value);
    }

    [Fact]
    public void Open_AfterAnAcknowledgedWrite_SyncedDigestIsFollowedByTheAnswerThatReachesIt()
    {
        // What a client's "synced" rests on: the synced frame carries the server's digest (which covers every
        // acknowledged change), and the answer that follows it on the same channel brings the client up to it.
        var session = new ValuesSession("doc", Server, Serializer);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenValues(1, Alice, VersionVector.Empty), 0));
        session.Settle();
        DeltaReplicator writer = ClientWithOneView(Alice);
        session.Handle(DocumentInput.Received(alice, Update(1, 1, writer.CreatePushMessages().Single().Message), 0));
        Assert.Single(session.Settle().Acks());

        var bob = new SessionMember(Bob, 2, canWrite: true);
        session.Handle(DocumentInput.Open(bob, OpenValues(2, Bob, VersionVector.Empty), 0));
        List<SyncFrame> toBob = [.. session.Settle().Where(o => o.Kind == DocumentOutputKind.Send && ReferenceEquals(o.Member, bob)).Select(o => o.Frame!)];
        SyncedFrame synced = Assert.IsType<SyncedFrame>(toBob[0]);
        var digest = Assert.IsType<DigestMessage>(Serializer.Deserialize(synced.Payload.Span));
        Assert.True(digest.Vector.Dominates(writer.Vector));
        // A delta group, or (here: every earlier member acknowledged the buffer away) the full state.
        ReplicationMessage answer = Serializer.Deserialize(Assert.IsType<UpdateFrame>(Assert.Single(toBob.Skip(1))).Payload.Span);
        VersionVector top = answer switch
        {
            DeltaGroupMessage group => group.Top,
            FullStateMessage full => full.Vector,
            _ => VersionVector.Empty,
        };
        Assert.True(top.Dominates(digest.Vector));

        var client = new DeltaReplicator(Bob);
        client.AddPeer(Server);
        client.Receive(digest);
        Assert.False(client.Vector.Dominates(digest.Vector)); // the synced frame alone: not synced yet
        client.Receive(answer);
        Assert.True(client.Vector.Dominates(digest.Vector));
        Assert.Equal(1, client.Get(Views).Value);
    }

    [Fact]
    public void CommitFailed_NoAck_EveryChannelFails_AndReloads()
    {
        var session = new ValuesSession("doc", Server, Serializer);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        var bob = new SessionMember(Bob, 2, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenValues(1, Alice, VersionVector.Empty), 0));
        session.Handle(DocumentInput.Open(bob, OpenValues(2, Bob, VersionVector.Empty), 0));
        session.Settle();
        session.Handle(DocumentInput.Received(alice, Update(1, 1, ClientWithOneView(Alice).CreatePushMessages().Single().Message), 0));
        Assert.Equal(DocumentOutputKind.Commit, Assert.Single(session.Handle(DocumentInput.EndBatch())).Kind);

        List<DocumentOutput> failed = session.Handle(DocumentInput.CommitFailed("disk full"));
        Assert.Empty(failed.Acks());
        Assert.DoesNotContain(failed, o => o.Kind == DocumentOutputKind.Send);
        Assert.Equal(2, failed.Count(o => o.Kind == DocumentOutputKind.ChannelFailed && o.Code == SyncErrorCode.StoreUnavailable));
        Assert.Equal(DocumentOutputKind.Reload, failed[^1].Kind);
        Assert.False(alice.Active);
        Assert.Empty(session.Members);
    }

    [Fact]
    public void Garbage_FailsOnlyThatChannel_NothingStored()
    {
        var session = new ValuesSession("doc", Server, Serializer);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        var bob = new SessionMember(Bob, 2, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenValues(1, Alice, VersionVector.Empty), 0));
        session.Handle(DocumentInput.Open(bob, OpenValues(2, Bob, VersionVector.Empty), 0));
        session.Settle();

        DocumentOutput failure = session.Handle(DocumentInput.Received(alice, new UpdateFrame(1, 1, new byte[] { 0xFF, 0x00, 0x13 }), 0)).SingleFailure();
        Assert.Equal(SyncErrorCode.InvalidPayload, failure.Code);
        Assert.Same(alice, failure.Member);
        Assert.False(alice.Active);
        Assert.True(bob.Active);
        Assert.DoesNotContain(session.Handle(DocumentInput.EndBatch()), o => o.Kind == DocumentOutputKind.Commit);
        Assert.Equal(VersionVector.Empty, session.Vector);
    }

    [Fact]
    public void UnknownFrame_OnDocumentChannel_FailsTheChannel()
    {
        var session = new ValuesSession("doc", Server, Serializer);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenValues(1, Alice, VersionVector.Empty), 0));
        Assert.Equal(SyncErrorCode.InvalidPayload, session.Handle(DocumentInput.Received(alice, new PingFrame(3), 0)).SingleFailure().Code);
    }

    [Fact]
    public void HandshakeNotADigest_FailsTheChannel()
    {
        var session = new ValuesSession("doc", Server, Serializer);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        byte[] push = Serializer.SerializeToBytes(ClientWithOneView(Alice).CreatePushMessages().Single().Message);
        DocumentOutput failure = session.Handle(DocumentInput.Open(alice, new OpenFrame(1, DocumentKind.Values, "doc", push), 0)).SingleFailure();
        Assert.Equal(SyncErrorCode.InvalidPayload, failure.Code);
        Assert.DoesNotContain(session.Settle(), o => o.Kind == DocumentOutputKind.Send);
    }

    [Fact]
    public void MessageFromAnotherReplica_IsForged()
    {
        var session = new ValuesSession("doc", Server, Serializer);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenValues(1, Alice, VersionVector.Empty), 0));
        session.Settle();
        var digestFromBob = new DigestMessage(Bob, VersionVector.Empty);
        Assert.Equal(SyncErrorCode.ForgedDots, session.Handle(DocumentInput.Received(alice, Update(1, 0, digestFromBob), 0)).SingleFailure().Code);
    }

    [Fact]
    public void RelayedEventsOfAnotherReplica_TheServerDoesNotHold_AreForged()
    {
        var session = new ValuesSession("doc", Server, Serializer);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenValues(1, Alice, VersionVector.Empty), 0));
        session.Settle();

        // Alice got Bob's view directly (not through the server) and relays it: the server cannot trust it.
        var bob = new DeltaReplicator(Bob);
        bob.AddPeer(Alice, VersionVector.Empty);
        bob.Define(Views, GCounter.Empty);
        bob.Update(Views, static (c, r, out d) => c.Increment(r, 5, out d));
        var relay = new DeltaReplicator(Alice);
        relay.AddPeer(Server, VersionVector.Empty);
        foreach (OutgoingMessage message in bob.CreatePushMessages())
        {
            relay.Receive(message.Message);
        }

        ReplicationMessage relayed = relay.CreatePushMessages().Single().Message;
        List<DocumentOutput> outputs = session.Handle(DocumentInput.Received(alice, Update(1, 1, relayed), 0));
        Assert.Equal(SyncErrorCode.ForgedDots, outputs.SingleFailure().Code);
        Assert.DoesNotContain(session.Handle(DocumentInput.EndBatch()), o => o.Kind == DocumentOutputKind.Commit);
        Assert.Equal(0L, session.Vector[Bob]);
    }

    [Fact]
    public void ReadOnlyMember_Write_IsForbidden_AndNotStored()
    {
        var session = new ValuesSession("doc", Server, Serializer);
        var reader = new SessionMember(Alice, 1, canWrite: false);
        session.Handle(DocumentInput.Open(reader, OpenValues(1, Alice, VersionVector.Empty), 0));
        session.Settle();
        List<DocumentOutput> outputs = session.Handle(DocumentInput.Received(reader, Update(1, 1, ClientWithOneView(Alice).CreatePushMessages().Single().Message), 0));
        Assert.Equal(SyncErrorCode.WriteForbidden, outputs.SingleFailure().Code);
        Assert.DoesNotContain(session.Handle(DocumentInput.EndBatch()), o => o.Kind == DocumentOutputKind.Commit);
    }

    [Fact]
    public void Handshake_AnswersWhatTheClientLacks_AndLoadRestoresFromTheLog()
    {
        var session = new ValuesSession("doc", Server, Serializer);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenValues(1, Alice, VersionVector.Empty), 0));
        session.Settle();
        session.Handle(DocumentInput.Received(alice, Update(1, 1, ClientWithOneView(Alice).CreatePushMessages().Single().Message), 0));
        DocumentOutput commit = Assert.Single(session.Handle(DocumentInput.EndBatch()));
        session.Handle(DocumentInput.CommitDone());

        // A fresh server (after a restart) loaded from the committed records answers Bob's empty digest with Alice's view.
        var restarted = new ValuesSession("doc", Server, Serializer);
        restarted.Load(Stored("doc", commit.Appends!));
        var bob = new SessionMember(Bob, 3, canWrite: true);
        restarted.Handle(DocumentInput.Open(bob, OpenValues(3, Bob, VersionVector.Empty), 0));
        List<DocumentOutput> answer = restarted.Settle();
        var client = new DeltaReplicator(Bob);
        client.AddPeer(Server);
        foreach (SyncFrame frame in answer.Where(o => o.Kind == DocumentOutputKind.Send).Select(o => o.Frame!))
        {
            ReadOnlyMemory<byte> payload = frame is SyncedFrame synced ? synced.Payload : ((UpdateFrame)frame).Payload;
            client.Receive(Serializer.Deserialize(payload.Span));
        }

        Assert.Equal(1, client.Get(Views).Value);
    }

    [Fact]
    public void DeltaGroupOutOfCausalOrder_IsNotAcked_TheDigestAnswers()
    {
        var session = new ValuesSession("doc", Server, Serializer);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenValues(1, Alice, VersionVector.Empty), 0));
        session.Settle();
        DeltaReplicator client = ClientWithOneView(Alice);
        ReplicationMessage lost = client.CreatePushMessages().Single().Message;
        client.Update(Views, static (c, r, out d) => c.Increment(r, 1, out d));
        ReplicationMessage next = client.CreatePushMessages().Single().Message;

        session.Handle(DocumentInput.Received(alice, Update(1, 2, next), 0));
        List<DocumentOutput> unapplied = session.Handle(DocumentInput.EndBatch());
        Assert.DoesNotContain(unapplied, o => o.Kind == DocumentOutputKind.Commit);
        Assert.Empty(unapplied.Acks());
        Assert.IsType<DigestMessage>(Serializer.Deserialize(Assert.Single(unapplied.FramesTo<UpdateFrame>(alice)).Payload.Span));

        session.Handle(DocumentInput.Received(alice, Update(1, 3, lost), 0));
        session.Handle(DocumentInput.Received(alice, Update(1, 4, next), 0));
        Assert.Equal([3L, 4L], session.Settle().Acks().Select(a => a.Sequence));
        Assert.Equal(2, session.Replicator.Get(Views).Value);
    }

    [Fact]
    public void StoredRecordsOfAnotherNode_WhileTheCommitIsOutstanding_ArePushedWithTheBatch()
    {
        // Another node's session commits Carol's view; this node learns of it between its own commit and the report.
        var otherNode = new ValuesSession("doc", Server, Serializer);
        var carol = new SessionMember(new ReplicaId("carol"), 1, canWrite: true);
        otherNode.Handle(DocumentInput.Open(carol, OpenValues(1, carol.Replica, VersionVector.Empty), 0));
        otherNode.Settle();
        otherNode.Handle(DocumentInput.Received(carol, Update(1, 1, ClientWithOneView(carol.Replica).CreatePushMessages().Single().Message), 0));
        ReadOnlyMemory<byte> carolsRecord = Assert.Single(Assert.Single(otherNode.Handle(DocumentInput.EndBatch())).Appends!);

        var session = new ValuesSession("doc", Server, Serializer);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        var bob = new SessionMember(Bob, 2, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenValues(1, Alice, VersionVector.Empty), 0));
        session.Handle(DocumentInput.Open(bob, OpenValues(2, Bob, VersionVector.Empty), 0));
        session.Settle();
        session.Handle(DocumentInput.Received(alice, Update(1, 1, ClientWithOneView(Alice).CreatePushMessages().Single().Message), 0));
        Assert.Equal(DocumentOutputKind.Commit, Assert.Single(session.Handle(DocumentInput.EndBatch())).Kind);
        Assert.Empty(session.Handle(DocumentInput.Stored(carolsRecord)));
        Assert.Throws<InvalidOperationException>(() => session.Handle(DocumentInput.Tick(0)));

        List<DocumentOutput> released = session.Handle(DocumentInput.CommitDone());
        Assert.Single(released.Acks());
        Assert.Equal(2, session.Replicator.Get(Views).Value);
        var bobClient = new DeltaReplicator(Bob);
        foreach (UpdateFrame frame in released.FramesTo<UpdateFrame>(bob))
        {
            bobClient.Receive(Serializer.Deserialize(frame.Payload.Span));
        }

        Assert.Equal(2, bobClient.Get(Views).Value);
    }

    [Fact]
    public void CloseAll_FailsEveryChannelWithTheCode()
    {
        var session = new ValuesSession("doc", Server, Serializer);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        var bob = new SessionMember(Bob, 2, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenValues(1, Alice, VersionVector.Empty), 0));
        session.Handle(DocumentInput.Open(bob, OpenValues(2, Bob, VersionVector.Empty), 0));
        session.Settle();
        List<DocumentOutput> closed = session.Handle(DocumentInput.CloseAll(SyncErrorCode.ResyncRequired, "reloaded"));
        Assert.Equal(2, closed.Count(o => o.Kind == DocumentOutputKind.ChannelFailed && o.Code == SyncErrorCode.ResyncRequired));
        Assert.Empty(session.Members);
        Assert.False(bob.Active);
        Assert.DoesNotContain(session.Settle(), o => o.Kind == DocumentOutputKind.Send);
    }
}
