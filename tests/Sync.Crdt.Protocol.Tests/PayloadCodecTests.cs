using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Protocol;
using Sync.Crdt.Text;
using Sync.Ot;

namespace Sync.Crdt.Protocol.Tests;

public sealed class PayloadCodecTests
{
    [Fact]
    public void OtSubmission_RoundTrip_KeepsRevisionAndOperation()
    {
        TextOperation operation = TextOperation.CreateBuilder().Retain(3).Insert("héllo 😀").Delete(2).Retain(1).ToOperation();
        byte[] bytes = PayloadCodec.Encode(new OtSubmission(42, operation));
        OtSubmission decoded = PayloadCodec.DecodeOtSubmission(bytes);
        Assert.Equal(42, decoded.BaseRevision);
        Assert.Equal(operation, decoded.Operation);
    }

    [Fact]
    public void OtCommitted_RoundTrip_KeepsEveryField()
    {
        var committed = new OtCommittedOperation(7, "alice", 3, TextOperation.Insert(0, 0, "abc"));
        OtCommittedOperation decoded = PayloadCodec.DecodeOtCommitted(PayloadCodec.Encode(committed));
        Assert.Equal((7L, "alice", 3L), (decoded.Revision, decoded.Author, decoded.Sequence));
        Assert.Equal(committed.Operation, decoded.Operation);
    }

    [Fact]
    public void OtSyncAnswer_RoundTrip_WithAndWithoutSnapshot()
    {
        var ops = new List<OtCommittedOperation> { new(5, "bob", 1, TextOperation.Insert(3, 3, "!")) };
        OtSyncAnswer withSnapshot = PayloadCodec.DecodeOtSyncAnswer(PayloadCodec.Encode(new OtSyncAnswer(new DocumentSnapshot(4, "abc"), ops)));
        Assert.Equal(new DocumentSnapshot(4, "abc"), withSnapshot.Snapshot);
        Assert.Single(withSnapshot.Operations);
        OtSyncAnswer without = PayloadCodec.DecodeOtSyncAnswer(PayloadCodec.Encode(new OtSyncAnswer(null, [])));
        Assert.Null(without.Snapshot);
        Assert.Empty(without.Operations);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    [InlineData(123456789L)]
    public void OtHandshake_RoundTrip(long? revision) =>
        Assert.Equal(revision, PayloadCodec.DecodeOtHandshake(PayloadCodec.EncodeOtHandshake(revision)));

    [Fact]
    public void OtSubmission_ZeroLengthComponentOrUnknownTag_ThrowsInvalidPayload()
    {
        Assert.Equal(SyncErrorCode.InvalidPayload, Assert.Throws<SyncProtocolException>(() => PayloadCodec.DecodeOtSubmission([0, 1, 1, 0])).Code);
        Assert.Equal(SyncErrorCode.InvalidPayload, Assert.Throws<SyncProtocolException>(() => PayloadCodec.DecodeOtSubmission([0, 1, 9, 1])).Code);
        // A count of a million components with three bytes of input: rejected before allocating.
        Assert.Equal(SyncErrorCode.InvalidPayload, Assert.Throws<SyncProtocolException>(() => PayloadCodec.DecodeOtSubmission([0, 0x80, 0x80, 0x40, 1])).Code);
    }

    [Fact]
    public void TextSyncAnswer_RoundTrip_KeepsVectorAndUpdate()
    {
        var doc = new TextDocument(new ReplicaId("server"));
        var writer = new TextDocument(new ReplicaId("alice"));
        doc.ApplyUpdate(writer.Insert(0, "hello"));
        var answer = new TextSyncAnswer(doc.StateVector, doc.EncodeStateAsUpdate());
        TextSyncAnswer decoded = PayloadCodec.DecodeTextSyncAnswer(PayloadCodec.Encode(answer));
        Assert.Equal(doc.StateVector, decoded.StateVector);
        Assert.Equal(answer.Update, decoded.Update);
    }

    [Fact]
    public void Presence_RoundTrip_PositionsStillResolve()
    {
        var doc = new TextDocument(new ReplicaId("alice"));
        doc.Insert(0, "hello world");
        var state = new PresenceState(doc.GetPosition(2), doc.GetPosition(5, TextPositionBias.Before), "{\"name\":\"Alice\"}");
        PresenceState decoded = PayloadCodec.DecodePresence(PayloadCodec.Encode(state));
        Assert.Equal(state.Anchor, decoded.Anchor);
        Assert.Equal(state.Head, decoded.Head);
        Assert.Equal(state.UserInfo, decoded.UserInfo);

        doc.Insert(0, ">> ");
        Assert.True(doc.TryResolvePosition(decoded.Anchor, out int anchor));
        Assert.Equal(5, anchor);
    }

    [Fact]
    public void Presence_Boundaries_RoundTrip()
    {
        var state = new PresenceState(TextPosition.Start, TextPosition.End, string.Empty);
        PresenceState decoded = PayloadCodec.DecodePresence(PayloadCodec.Encode(state));
        Assert.Equal(TextPosition.Start, decoded.Anchor);
        Assert.Equal(TextPosition.End, decoded.Head);
    }

    [Fact]
    public void Presence_UnknownBias_ThrowsInvalidPayload() =>
        Assert.Equal(SyncErrorCode.InvalidPayload, Assert.Throws<SyncProtocolException>(() => PayloadCodec.DecodePresence([0, 0, 7, 0, 0, 0, 0])).Code);

    [Fact]
    public void TextUpdateInspector_LocalInsert_ReportsOnlyTheAuthorsExtent()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        var bob = new TextDocument(new ReplicaId("bob"));
        bob.ApplyUpdate(alice.Insert(0, "abc"));
        TextUpdate update = bob.Insert(1, "XY");
        VersionVector extent = TextUpdateInspector.GetInsertedExtent(update.Span);
        Assert.Equal(VersionVector.Create([new Dot(new ReplicaId("bob"), 2)]), extent);

        VersionVector whole = TextUpdateInspector.GetInsertedExtent(bob.EncodeStateAsUpdate().Span);
        Assert.Equal(bob.StateVector, whole);
    }
}
