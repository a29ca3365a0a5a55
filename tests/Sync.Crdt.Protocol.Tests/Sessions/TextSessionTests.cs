using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Protocol.Sessions;
using Sync.Crdt.Text;
using static Sync.Crdt.Protocol.Tests.Sessions.SessionHarness;

namespace Sync.Crdt.Protocol.Tests.Sessions;

public sealed class TextSessionTests
{
    private static OpenFrame OpenText(long channel, VersionVector vector) =>
        new(channel, DocumentKind.Text, "doc", TextStateVector.Encode(vector));

    private static (TextSession Session, SessionMember Alice, SessionMember Bob) TwoMembers(long presenceTimeout = 100)
    {
        var session = new TextSession("doc", Server, presenceTimeout);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        var bob = new SessionMember(Bob, 2, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenText(1, VersionVector.Empty), 0));
        session.Handle(DocumentInput.Open(bob, OpenText(2, VersionVector.Empty), 0));
        session.Settle();
        return (session, alice, bob);
    }

    [Fact]
    public void Update_IsForwardedAndAcked_OnlyAfterCommit()
    {
        (TextSession session, SessionMember alice, SessionMember bob) = TwoMembers();
        var doc = new TextDocument(Alice);
        byte[] update = doc.Insert(0, "hello").ToArray();
        Assert.Empty(session.Handle(DocumentInput.Received(alice, new UpdateFrame(1, 1, update), 0)));
        Assert.Equal(DocumentOutputKind.Commit, Assert.Single(session.Handle(DocumentInput.EndBatch())).Kind);
        List<DocumentOutput> released = session.Handle(DocumentInput.CommitDone());
        Assert.Equal(1L, Assert.Single(released.Acks()).Sequence);
        Assert.Equal(update, Assert.Single(released.FramesTo<UpdateFrame>(bob)).Payload.ToArray());
        Assert.Empty(released.FramesTo<UpdateFrame>(alice));
        Assert.Equal("hello", session.Document.ToString());
    }

    [Fact]
    public void TextOfAnotherReplica_IsForged()
    {
        (TextSession session, SessionMember alice, _) = TwoMembers();
        byte[] bobs = new TextDocument(Bob).Insert(0, "not yours").ToArray();
        Assert.Equal(SyncErrorCode.ForgedDots, session.Handle(DocumentInput.Received(alice, new UpdateFrame(1, 1, bobs), 0)).SingleFailure().Code);
        Assert.DoesNotContain(session.Handle(DocumentInput.EndBatch()), o => o.Kind == DocumentOutputKind.Commit);
        Assert.Equal(string.Empty, session.Document.ToString());
    }

    [Fact]
    public void UpdateWithMissingDependencies_FailsTheChannel_AndAsksForAReload()
    {
        (TextSession session, SessionMember alice, _) = TwoMembers();
        var bobDoc = new TextDocument(Bob);
        var aliceDoc = new TextDocument(Alice);
        aliceDoc.ApplyUpdate(bobDoc.Insert(0, "ab"));
        byte[] dependent = aliceDoc.Insert(1, "X").ToArray();
        Assert.Equal(SyncErrorCode.InvalidPayload, session.Handle(DocumentInput.Received(alice, new UpdateFrame(1, 1, dependent), 0)).SingleFailure().Code);
        List<DocumentOutput> ended = session.Handle(DocumentInput.EndBatch());
        Assert.DoesNotContain(ended, o => o.Kind == DocumentOutputKind.Commit);
        Assert.Equal(DocumentOutputKind.Reload, Assert.Single(ended).Kind);
    }

    [Fact]
    public void Garbage_FailsTheChannel()
    {
        (TextSession session, SessionMember alice, SessionMember bob) = TwoMembers();
        Assert.Equal(SyncErrorCode.InvalidPayload, session.Handle(DocumentInput.Received(alice, new UpdateFrame(1, 1, new byte[] { 9, 9, 9, 9 }), 0)).SingleFailure().Code);
        Assert.True(bob.Active);
    }

    [Fact]
    public void ReadOnlyMember_Write_IsForbidden()
    {
        var session = new TextSession("doc", Server, 100);
        var reader = new SessionMember(Alice, 1, canWrite: false);
        session.Handle(DocumentInput.Open(reader, OpenText(1, VersionVector.Empty), 0));
        byte[] update = new TextDocument(Alice).Insert(0, "x").ToArray();
        Assert.Equal(SyncErrorCode.WriteForbidden, session.Handle(DocumentInput.Received(reader, new UpdateFrame(1, 1, update), 0)).SingleFailure().Code);
    }

    [Fact]
    public void Presence_ExpiresAtTheTimePassedIn_AndAsksForATimer()
    {
        (TextSession session, SessionMember alice, SessionMember bob) = TwoMembers(presenceTimeout: 50);
        byte[] presence = PayloadCodec.Encode(new PresenceState(TextPosition.Start, TextPosition.Start, "Alice"));
        List<DocumentOutput> set = session.Handle(DocumentInput.Received(alice, new PresenceFrame(1, Alice, presence), now: 100));
        Assert.Equal(150, Assert.Single(set, o => o.Kind == DocumentOutputKind.WakeAt).At);
        Assert.Single(session.Settle().FramesTo<PresenceFrame>(bob), p => !p.Payload.IsEmpty);

        // A member opening later sees the live presence.
        var carol = new SessionMember(new ReplicaId("carol"), 3, canWrite: true);
        session.Handle(DocumentInput.Open(carol, OpenText(3, VersionVector.Empty), 120));
        Assert.Single(session.Settle().FramesTo<PresenceFrame>(carol));

        session.Handle(DocumentInput.Tick(149));
        Assert.Empty(session.Settle());
        session.Handle(DocumentInput.Tick(150));
        List<DocumentOutput> expired = session.Settle();
        Assert.True(Assert.Single(expired.FramesTo<PresenceFrame>(bob)).Payload.IsEmpty);
        Assert.Equal(0, session.PresenceCount);
    }

    [Fact]
    public void Detach_RemovesPresence_AndTellsTheOthers()
    {
        (TextSession session, SessionMember alice, SessionMember bob) = TwoMembers();
        byte[] presence = PayloadCodec.Encode(new PresenceState(TextPosition.Start, TextPosition.End, "Alice"));
        session.Handle(DocumentInput.Received(alice, new PresenceFrame(1, Alice, presence), 0));
        session.Settle();
        session.Handle(DocumentInput.Detach(alice));
        Assert.True(Assert.Single(session.Settle().FramesTo<PresenceFrame>(bob)).Payload.IsEmpty);
        Assert.False(alice.Active);
    }

    [Fact]
    public void Handshake_SendsOnlyWhatTheClientLacks()
    {
        var session = new TextSession("doc", Server, 100);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenText(1, VersionVector.Empty), 0));
        session.Settle();
        var aliceDoc = new TextDocument(Alice);
        session.Handle(DocumentInput.Received(alice, new UpdateFrame(1, 1, aliceDoc.Insert(0, "abc").ToArray()), 0));
        session.Settle();

        var bob = new SessionMember(Bob, 2, canWrite: true);
        session.Handle(DocumentInput.Open(bob, OpenText(2, VersionVector.Empty), 0));
        TextSyncAnswer full = PayloadCodec.DecodeTextSyncAnswer(Assert.Single(session.Settle().FramesTo<SyncedFrame>(bob)).Payload.Span);
        var bobDoc = new TextDocument(Bob);
        bobDoc.ApplyUpdate(full.Update);
        Assert.Equal("abc", bobDoc.ToString());

        session.Handle(DocumentInput.Detach(bob));
        var again = new SessionMember(Bob, 3, canWrite: true);
        session.Handle(DocumentInput.Open(again, OpenText(3, bobDoc.StateVector), 0));
        TextSyncAnswer nothing = PayloadCodec.DecodeTextSyncAnswer(Assert.Single(session.Settle().FramesTo<SyncedFrame>(again)).Payload.Span);
        Assert.True(nothing.Update.Length < full.Update.Length);
        bobDoc.ApplyUpdate(nothing.Update);
        Assert.Equal("abc", bobDoc.ToString());
    }
}
