using System;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Text.Internal;

namespace Sync.Crdt.Text.Tests.Internal;

public class UpdateCodecTests
{
    private const byte A = (byte)'a';
    private const byte X = (byte)'x';

    public static TheoryData<string, byte[]> Rejected() => new()
    {
        { "block replica index equal to the table size", [1, 1, 1, A, 1, 1, 0, 1, 1 << 5, 0, 1, X] },
        { "origin-left replica index equal to the table size", [1, 1, 1, A, 1, 0, 0, 1, (1 << 5) | 3, 1, 0, 0, 1, X] },
        { "origin-right replica index equal to the table size", [1, 1, 1, A, 1, 0, 0, 1, (1 << 5) | (2 << 2), 1, 0, 0, 1, X] },
        { "delete set replica index equal to the table size", [1, 1, 1, A, 0, 1, 1, 1, 0, 1, 0] },
        { "origin-left on its own clock", [1, 1, 1, A, 1, 0, 5, 1, (1 << 5) | 3, 0, 5, 0, 1, X] },
        { "origin-right on its own clock", [1, 1, 1, A, 1, 0, 5, 1, (1 << 5) | (2 << 2), 0, 5, 0, 1, X] },
        { "same-replica origin-left distance reaching below clock 0", [1, 1, 1, A, 1, 0, 5, 1, (1 << 5) | 2, 5, 0, 1, X] },
        { "same-replica origin-right distance reaching below clock 0", [1, 1, 1, A, 1, 0, 5, 1, (1 << 5) | (1 << 2), 5, 0, 1, X] },
        { "delete set names a replica twice", [1, 1, 1, A, 0, 2, 0, 1, 0, 1, 0, 1, 5, 1, 0] },
        { "two blocks for one replica", [1, 1, 1, A, 2, 0, 0, 1, 1 << 5, 0, 1, 1, 1 << 5, 0, 2, X, X] },
        { "an empty item block", [1, 1, 1, A, 1, 0, 0, 0, 0, 0] },
        { "non-minimal varint (content length 0x81 0x00)", [1, 1, 1, A, 1, 0, 0, 1, 1 << 5, 0, 0x81, 0x00, X] },
        { "non-minimal varint (start clock 0x80 0x00)", [1, 1, 1, A, 1, 0, 0x80, 0x00, 1, 1 << 5, 0, 1, X] },
        { "clock of 2^31", [1, 1, 1, A, 1, 0, 0x80, 0x80, 0x80, 0x80, 0x08, 1, 1 << 5, 0, 1, X] },
        { "clock of 2^32 - 1", [1, 1, 1, A, 1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 1 << 5, 0, 1, X] },
        { "a varint above 64 bits", [1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F] },
        { "content starting with a low surrogate", [1, 1, 1, A, 1, 0, 0, 1, 1 << 5, 0, 3, 0xED, 0xB8, 0x80] },
        { "replica id of 0 bytes", [1, 1, 0, 0, 0, 0] },
        { "replica id longer than 1024 bytes", [1, 1, 0x81, 0x08, 0, 0, 0] },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Decode_InvalidUpdate_ThrowsCrdtFormatException(string problem, byte[] bytes)
    {
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => UpdateDecoder.Decode(bytes));
        Assert.False(string.IsNullOrEmpty(ex.Message), problem);
    }

    [Fact]
    public void Decode_OriginsOnTheClockJustBefore_AreAccepted()
    {
        // Boundaries of the checks above: an origin one clock earlier than the item, a distance reaching exactly clock 0.
        DecodedUpdate left = UpdateDecoder.Decode([1, 1, 1, A, 1, 0, 5, 1, (1 << 5) | 3, 0, 4, 0, 1, X]);
        Assert.Equal(4, left.Items[0].OriginLeftClock);
        DecodedUpdate right = UpdateDecoder.Decode([1, 1, 1, A, 1, 0, 5, 1, (1 << 5) | (2 << 2), 0, 4, 0, 1, X]);
        Assert.Equal(4, right.Items[0].OriginRightClock);
        DecodedUpdate distance = UpdateDecoder.Decode([1, 1, 1, A, 1, 0, 5, 1, (1 << 5) | 2, 4, 0, 1, X]);
        Assert.Equal(0, distance.Items[0].OriginLeftClock);
        DecodedUpdate rightDistance = UpdateDecoder.Decode([1, 1, 1, A, 1, 0, 5, 1, (1 << 5) | (1 << 2), 4, 0, 1, X]);
        Assert.Equal(0, rightDistance.Items[0].OriginRightClock);
        DecodedUpdate lastReplica = UpdateDecoder.Decode([1, 2, 1, A, 1, X, 1, 1, 0, 1, 1 << 5, 0, 1, X]);
        Assert.Equal(1, lastReplica.Items[0].Client);
    }

    [Fact]
    public void Decode_ItemEndingExactlyAtInt32Max_IsAccepted_AndOneFurtherIsRejected()
    {
        // Clock 2^31 - 2 (FE FF FF FF 07), length 1: the item's last clock is 2^31 - 2, its end 2^31 - 1.
        DecodedUpdate update = UpdateDecoder.Decode([1, 1, 1, A, 1, 0, 0xFE, 0xFF, 0xFF, 0xFF, 0x07, 1, 1 << 5, 0, 1, X]);
        Assert.Equal((int.MaxValue - 1, 1), (update.Items[0].Clock, update.Items[0].Length));

        // The same with clock 2^31 - 1: the end would be 2^31.
        Assert.Throws<CrdtFormatException>(() => UpdateDecoder.Decode([1, 1, 1, A, 1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 1, 1 << 5, 0, 1, X]));
    }

    [Fact]
    public void Decode_DeletedRangeEndingExactlyAtInt32Max_IsAccepted_AndOneFurtherIsRejected()
    {
        // No blocks; delete set: replica 0, one range, gap 2^31 - 2, length 1.
        DecodedUpdate update = UpdateDecoder.Decode([1, 1, 1, A, 0, 1, 0, 1, 0xFE, 0xFF, 0xFF, 0xFF, 0x07, 1, 0]);
        Assert.Equal((0, int.MaxValue - 1, 1), (update.Deletes[0].Client, update.Deletes[0].Clock, update.Deletes[0].Length));

        // Length 2 from the same clock, and a second range (gap 1 after a first one ending at 2^31 - 2): both end at 2^31.
        Assert.Throws<CrdtFormatException>(() => UpdateDecoder.Decode([1, 1, 1, A, 0, 1, 0, 1, 0xFE, 0xFF, 0xFF, 0xFF, 0x07, 2, 0]));
        Assert.Throws<CrdtFormatException>(() => UpdateDecoder.Decode([1, 1, 1, A, 0, 1, 0, 2, 0xFD, 0xFF, 0xFF, 0xFF, 0x07, 1, 1, 1, 0]));
    }

    [Fact]
    public void Decode_LeftAndRightOriginOnTheSameCodeUnitOfReplicaIndex0_IsRejected()
    {
        // Table ["a", "x"]; x's item names a:0 as both origin-left (kind 3) and origin-right (kind 2).
        byte[] same = [1, 2, 1, A, 1, X, 1, 1, 0, 1, (1 << 5) | 3 | (2 << 2), 0, 0, 0, 0, 0, 1, X];
        Assert.Throws<CrdtFormatException>(() => UpdateDecoder.Decode(same));

        // Origins on neighbouring code units of replica index 0 are fine.
        byte[] neighbours = [1, 2, 1, A, 1, X, 1, 1, 0, 1, (1 << 5) | 3 | (2 << 2), 0, 0, 0, 1, 0, 1, X];
        DecodedUpdate update = UpdateDecoder.Decode(neighbours);
        RemoteItem item = update.Items[0];
        Assert.Equal((1, 0, 0, 0, 1), (item.Client, item.OriginLeftClient, item.OriginLeftClock, item.OriginRightClient, item.OriginRightClock));
    }

    [Fact]
    public void Decode_SurrogatePairSplitBetweenTwoItems_IsRejected()
    {
        // "😀" (F0 9F 98 80, two UTF-16 code units) as two items of length 1: the first ends with the high surrogate, the
        // second starts with the low one. Valid UTF-8 throughout, so only the item-boundary check can reject it.
        Assert.Throws<CrdtFormatException>(() => UpdateDecoder.Decode([1, 1, 1, A, 1, 0, 0, 2, 1 << 5, (1 << 5) | 1, 0, 4, 0xF0, 0x9F, 0x98, 0x80]));

        // The same split across two blocks (replica "a" gets the high half, replica "x" the low half).
        Assert.Throws<CrdtFormatException>(() => UpdateDecoder.Decode([1, 2, 1, A, 1, X, 2, 0, 0, 1, 1 << 5, 1, 0, 1, 1 << 5, 0, 4, 0xF0, 0x9F, 0x98, 0x80]));

        // Whole pairs in one item, or one per item, are accepted.
        DecodedUpdate whole = UpdateDecoder.Decode([1, 1, 1, A, 1, 0, 0, 2, 2 << 5, (3 << 5) | 1, 0, 9, 0xF0, 0x9F, 0x98, 0x80, X, 0xF0, 0x9F, 0x98, 0x80]);
        Assert.Equal(2, whole.ItemCount);
        Assert.Equal("😀x😀", whole.Items[1].Content);
        Assert.Equal(2, whole.Items[1].ContentStart);
    }

    [Fact]
    public void Decode_DeleteSet_GapsAreRelativeToThePreviousRangeEnd()
    {
        DecodedUpdate update = UpdateDecoder.Decode([1, 2, 1, A, 1, X, 0, 2, 1, 2, 3, 4, 2, 1, 0, 1, 1, 1, 0]);
        DeleteRange[] d = update.Deletes;
        Assert.Equal(3, d.Length);
        Assert.Equal((1, 3, 4), (d[0].Client, d[0].Clock, d[0].Length));
        Assert.Equal((1, 9, 1), (d[1].Client, d[1].Clock, d[1].Length));
        Assert.Equal((0, 1, 1), (d[2].Client, d[2].Clock, d[2].Length));
    }

    [Fact]
    public void ByteReader_CountsAboveInt32_AreRejected_AndInt32MaxIsRead()
    {
        Assert.Equal(int.MaxValue, ReadCount([0xFF, 0xFF, 0xFF, 0xFF, 0x07]));
        Assert.Equal(300, ReadCount([0xAC, 0x02]));
        Assert.Equal(127, ReadCount([0x7F]));
        Assert.Throws<CrdtFormatException>(() => ReadCount([0x80, 0x80, 0x80, 0x80, 0x08]));          // 2^31
        Assert.Throws<CrdtFormatException>(() => ReadCount([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]));          // 2^32 - 1
        Assert.Throws<CrdtFormatException>(() => ReadCount([0x80, 0x80, 0x80, 0x80, 0x10]));          // 2^32
        Assert.Throws<CrdtFormatException>(() => ReadCount([0x80, 0x00]));                            // overlong 0
        Assert.Throws<CrdtFormatException>(() => ReadCount([0xFF, 0x80, 0x00]));                      // overlong
        Assert.Throws<CrdtFormatException>(() => ReadCount([0x80]));                                  // truncated
        Assert.Throws<CrdtFormatException>(() => ReadCount([]));
    }

    [Fact]
    public void Decode_SameUpdateWithOneBlockPerReplica_IsAccepted()
    {
        // The valid neighbour of "two blocks for one replica": the same two items as one block.
        DecodedUpdate update = UpdateDecoder.Decode([1, 1, 1, A, 1, 0, 0, 2, 1 << 5, (1 << 5) | 1, 0, 2, X, X]);
        Assert.Equal(2, update.ItemCount);
        Assert.Equal((0, 1), (update.Items[1].Client, update.Items[1].Clock));
    }

    [Fact]
    public void ByteReader_TruncatedVarint_IsReportedAsTruncation_AtItsStart()
    {
        // A varint cut off by the end of the input is a truncated update, not a non-canonical integer.
        var ex = Assert.Throws<CrdtFormatException>(() => ReadCountAfterOneByte([5, 0xFF, 0x80]));
        Assert.Contains("ends unexpectedly", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, ex.Offset);

        var overlong = Assert.Throws<CrdtFormatException>(() => ReadCountAfterOneByte([5, 0xFF, 0x00]));
        Assert.Contains("canonical", overlong.Message, StringComparison.Ordinal);
        Assert.Equal(1, overlong.Offset);
    }

    [Fact]
    public void ByteReader_CountPositionAdvancesPastTheVarint()
    {
        var reader = new ByteReader([0xAC, 0x02, 0x05]);
        Assert.Equal(300, reader.ReadCount("x"));
        Assert.Equal(2, reader.Position);
        Assert.Equal(5, reader.ReadCount("x"));
        reader.ExpectEnd();
    }

    [Fact]
    public void ByteReader_BoundedCount_AllowsExactlyWhatTheRemainingBytesCanHold()
    {
        // Count 2 with 4 bytes left and 2 bytes per entry: accepted; count 3: rejected before anything is allocated.
        Assert.Equal(2, Bounded([2, 0, 0, 0, 0], 2));
        Assert.Throws<CrdtFormatException>(() => Bounded([3, 0, 0, 0, 0], 2));
        Assert.Equal(4, Bounded([4, 0, 0, 0, 0], 1));
        Assert.Throws<CrdtFormatException>(() => Bounded([5, 0, 0, 0, 0], 1));
    }

    [Fact]
    public void ByteReader_ReadBytesAndEnd_AreBoundsChecked()
    {
        Assert.Throws<CrdtFormatException>(() => new ByteReader([1, 2]).ReadBytes(3));
        Assert.Throws<CrdtFormatException>(() => new ByteReader([1, 2]).ExpectEnd());
        Assert.Throws<CrdtFormatException>(() => new ByteReader([]).ReadByte());
        var reader = new ByteReader([1, 2, 3]);
        Assert.Equal(new byte[] { 1, 2 }, reader.ReadBytes(2).ToArray());
        Assert.Equal(1, reader.Remaining);
    }

    [Fact]
    public void ByteWriter_CountsAreMinimalLeb128()
    {
        var writer = new ByteWriter(1);
        writer.WriteCount(0);
        writer.WriteCount(127);
        writer.WriteCount(128);
        writer.WriteCount(int.MaxValue);
        Assert.Equal(new byte[] { 0, 0x7F, 0x80, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x07 }, writer.ToArray());
        Assert.Equal(9, writer.Length);
        writer.Reset();
        Assert.Equal(0, writer.Length);
    }

    [Fact]
    public void EncodeLocalChanges_NamesOnlyTheReplicasItUses_IncludingOriginsOfOtherReplicas()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        var bob = new TextDocument(new ReplicaId("bob"));
        var carol = new TextDocument(new ReplicaId("carol"));
        alice.ApplyUpdate(bob.Insert(0, "bb"));
        alice.ApplyUpdate(carol.Insert(0, "cc"));          // concurrent at the start: "bob" < "carol", so "bbcc"
        int from = (int)alice.StateVector[alice.Replica];
        alice.Insert(4, "!");                                // origin-left carol:1, no origin-right
        var deletes = new DeleteSet();

        TextUpdate update = alice.EncodeLocalChanges(from, deletes);

        // Table: alice and carol (named by the origin), not bob.
        DecodedUpdate decoded = UpdateDecoder.Decode(update.Span);
        Assert.Equal(new[] { new ReplicaId("alice"), new ReplicaId("carol") }, decoded.Replicas);
        Assert.Equal(1, decoded.ItemCount);
        var peer = new TextDocument(new ReplicaId("peer"));
        peer.ApplyUpdate(bob.EncodeStateAsUpdate());
        peer.ApplyUpdate(carol.EncodeStateAsUpdate());
        peer.ApplyUpdate(update);
        Assert.Equal("bbcc!", peer.ToString());
    }

    [Fact]
    public void EncodeStateAsUpdate_DiffWhereOnlyOldReplicasAreNamed_StillListsThem()
    {
        var alice = new TextDocument(new ReplicaId("alice"));
        var bob = new TextDocument(new ReplicaId("bob"));
        bob.ApplyUpdate(alice.Insert(0, "ab"));
        VersionVector before = bob.StateVector;
        bob.Insert(1, "X");                                  // origins on alice, who has nothing new

        TextUpdate diff = bob.EncodeStateAsUpdate(before);

        alice.ApplyUpdate(diff);
        Assert.Equal("aXb", alice.ToString());
    }

    private static int ReadCount(byte[] bytes) => new ByteReader(bytes).ReadCount("count");

    private static int ReadCountAfterOneByte(byte[] bytes)
    {
        var reader = new ByteReader(bytes);
        reader.ReadByte();
        return reader.ReadCount("count");
    }

    private static int Bounded(byte[] bytes, int perEntry) => new ByteReader(bytes).ReadBoundedCount("count", perEntry);
}
