using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Protocol.Sessions;
using Sync.Ot;
using static Sync.Crdt.Protocol.Tests.Sessions.SessionHarness;

namespace Sync.Crdt.Protocol.Tests.Sessions;

public sealed class OtSessionTests
{
    private static OpenFrame OpenOt(long channel, long? revision) =>
        new(channel, DocumentKind.Ot, "doc", PayloadCodec.EncodeOtHandshake(revision));

    private static UpdateFrame Submit(long channel, long sequence, long baseRevision, TextOperation operation) =>
        new(channel, sequence, PayloadCodec.Encode(new OtSubmission(baseRevision, operation)));

    [Fact]
    public void Resend_AfterALostAck_IsAckedAgain_NotAppliedTwice()
    {
        var session = new OtSession("doc", 100);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenOt(1, 0), 0));
        session.Settle();
        UpdateFrame submission = Submit(1, 1, 0, TextOperation.Insert(0, 0, "hi"));

        session.Handle(DocumentInput.Received(alice, submission, 0));
        Assert.Equal(DocumentOutputKind.Commit, Assert.Single(session.Handle(DocumentInput.EndBatch())).Kind);
        AckFrame first = Assert.Single(session.Handle(DocumentInput.CommitDone()).Acks());
        Assert.Equal((1L, 1L), (first.Sequence, first.Revision));

        session.Handle(DocumentInput.Received(alice, submission, 0));
        List<DocumentOutput> again = session.Handle(DocumentInput.EndBatch());
        Assert.DoesNotContain(again, o => o.Kind == DocumentOutputKind.Commit);
        Assert.Equal((1L, 1L), (Assert.Single(again.Acks()).Sequence, again.Acks().Single().Revision));
        Assert.Equal("hi", session.Snapshot().Text);
        Assert.Equal(1, session.Revision);
    }

    [Fact]
    public void SequenceZero_IsInvalid()
    {
        var session = new OtSession("doc", 100);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenOt(1, 0), 0));
        Assert.Equal(SyncErrorCode.InvalidPayload, session.Handle(DocumentInput.Received(alice, Submit(1, 0, 0, TextOperation.Insert(0, 0, "x")), 0)).SingleFailure().Code);
    }

    [Fact]
    public void FutureBaseRevision_FailsTheChannel_OthersUnaffected()
    {
        var session = new OtSession("doc", 100);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        var bob = new SessionMember(Bob, 2, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenOt(1, 0), 0));
        session.Handle(DocumentInput.Open(bob, OpenOt(2, 0), 0));
        session.Settle();
        DocumentOutput failure = session.Handle(DocumentInput.Received(alice, Submit(1, 1, 7, TextOperation.Insert(0, 0, "x")), 0)).SingleFailure();
        Assert.NotEqual(default, failure.Code);
        Assert.True(bob.Active);
        Assert.Equal(0, session.Revision);
    }

    [Fact]
    public void Handshake_WithARevision_GetsTheOperationsSince_WithoutOneASnapshot()
    {
        var session = new OtSession("doc", 100);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenOt(1, 0), 0));
        session.Settle();
        session.Handle(DocumentInput.Received(alice, Submit(1, 1, 0, TextOperation.Insert(0, 0, "ab")), 0));
        session.Handle(DocumentInput.Received(alice, Submit(1, 2, 1, TextOperation.Insert(2, 2, "c")), 0));
        List<DocumentOutput> settled = session.Settle();
        Assert.Equal([1L, 2L], settled.Acks().Select(a => a.Sequence));

        var bob = new SessionMember(Bob, 2, canWrite: false);
        session.Handle(DocumentInput.Open(bob, OpenOt(2, 1), 0));
        OtSyncAnswer since = PayloadCodec.DecodeOtSyncAnswer(Assert.Single(session.Settle().FramesTo<SyncedFrame>(bob)).Payload.Span);
        Assert.Null(since.Snapshot);
        Assert.Equal(2, Assert.Single(since.Operations).Revision);

        var carol = new SessionMember(new Causality.ReplicaId("carol"), 3, canWrite: false);
        session.Handle(DocumentInput.Open(carol, OpenOt(3, null), 0));
        OtSyncAnswer full = PayloadCodec.DecodeOtSyncAnswer(Assert.Single(session.Settle().FramesTo<SyncedFrame>(carol)).Payload.Span);
        Assert.Equal("abc", full.Snapshot!.Text);

        Assert.Equal(SyncErrorCode.WriteForbidden, session.Handle(DocumentInput.Received(bob, Submit(2, 1, 2, TextOperation.Insert(3, 3, "!")), 0)).SingleFailure().Code);
    }

    [Fact]
    public void SnapshotAndLoad_KeepTheDeduplicationState()
    {
        var session = new OtSession("doc", 100);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenOt(1, 0), 0));
        session.Handle(DocumentInput.Received(alice, Submit(1, 5, 0, TextOperation.Insert(0, 0, "xyz")), 0));
        session.Settle();

        var restarted = new OtSession("doc", 100);
        restarted.Load(new Replication.Storage.StoredDocument("doc", 1, new Replication.Storage.StoredSnapshot(1, session.CreateSnapshot()), [], System.Collections.Immutable.ImmutableSortedDictionary<string, System.ReadOnlyMemory<byte>>.Empty));
        var again = new SessionMember(Alice, 9, canWrite: true);
        restarted.Handle(DocumentInput.Open(again, OpenOt(9, 1), 0));
        restarted.Handle(DocumentInput.Received(again, Submit(9, 5, 0, TextOperation.Insert(0, 0, "xyz")), 0));
        List<DocumentOutput> outputs = restarted.Handle(DocumentInput.EndBatch());
        Assert.DoesNotContain(outputs, o => o.Kind == DocumentOutputKind.Commit);
        Assert.Equal(5L, Assert.Single(outputs.Acks()).Sequence);
        Assert.Equal("xyz", restarted.Snapshot().Text);
    }

    [Fact]
    public void HandshakeBehindTheWindow_AsksForStoredHistory_AndAnswersWithIt()
    {
        var session = new OtSession("doc", historyLimit: 1);
        var alice = new SessionMember(Alice, 1, canWrite: true);
        session.Handle(DocumentInput.Open(alice, OpenOt(1, 0), 0));
        session.Handle(DocumentInput.Received(alice, Submit(1, 1, 0, TextOperation.Insert(0, 0, "ab")), 0));
        session.Handle(DocumentInput.Received(alice, Submit(1, 2, 1, TextOperation.Insert(2, 2, "c")), 0));
        session.Settle();

        // Only revision 2 is in memory: a client at revision 0 needs revision 1 from the store.
        Assert.Null(session.HistoryToRead(OpenOt(2, 1)));
        Assert.Null(session.HistoryToRead(new OpenFrame(2, DocumentKind.Ot, "doc", new byte[] { 0xFF })));
        Assert.Equal((0L, 1L), session.HistoryToRead(OpenOt(2, 0)));
        var stored = new List<OtCommittedOperation> { new(1, "alice", 1, TextOperation.Insert(0, 0, "ab")) };
        var bob = new SessionMember(Bob, 2, canWrite: true);
        session.Handle(DocumentInput.Open(bob, OpenOt(2, 0), 0, stored));
        OtSyncAnswer answer = PayloadCodec.DecodeOtSyncAnswer(Assert.Single(session.Settle().FramesTo<SyncedFrame>(bob)).Payload.Span);
        Assert.Null(answer.Snapshot);
        Assert.Equal([1L, 2L], answer.Operations.Select(o => o.Revision));

        // Without the history (compacted away) the answer is the snapshot.
        var carol = new SessionMember(new Causality.ReplicaId("carol"), 3, canWrite: true);
        session.Handle(DocumentInput.Open(carol, OpenOt(3, 0), 0));
        Assert.Equal("abc", PayloadCodec.DecodeOtSyncAnswer(Assert.Single(session.Settle().FramesTo<SyncedFrame>(carol)).Payload.Span).Snapshot!.Text);
    }
}
