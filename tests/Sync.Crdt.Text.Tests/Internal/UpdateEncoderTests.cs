using System;
using System.Linq;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;
using Sync.Crdt.Text.Internal;

namespace Sync.Crdt.Text.Tests.Internal;

/// <summary>
/// The encoder's exact bytes (the format is canonical: update equality is byte-wise, so two encodings of the same change
/// must not differ) and its buffers at their limits.
/// </summary>
public class UpdateEncoderTests
{

    private const byte A = (byte)'a';

    [Fact]
    public void LocalInsert_LengthSevenIsInline_LengthEightIsAVarint()
    {
        var document = new TextDocument(new ReplicaId("a"));

        // Info = length 7 << 5, no origins.
        byte[] seven = [1, 1, 1, A, 1, 0, 0, 1, 7 << 5, 0, 7, .. "abcdefg"u8];
        Assert.Equal(seven, document.Insert(0, "abcdefg").ToArray());

        // Info = 0 (length follows) | origin-left previous (1); length 8.
        byte[] eight = [1, 1, 1, A, 1, 0, 7, 1, 1, 8, 0, 8, .. "hijklmno"u8];
        Assert.Equal(eight, document.Insert(7, "hijklmno").ToArray());
    }

    [Fact]
    public void LocalInsert_InsideOwnText_EncodesSameReplicaDistances()
    {
        var document = new TextDocument(new ReplicaId("a"));
        document.Insert(0, "abc");

        // "X" at clock 3 between a:0 and a:1: origin-left same replica (kind 2) at distance 3 - 1 - 0 = 2, origin-right
        // same replica (kind 1) at distance 3 - 1 - 1 = 1; info = (1 << 5) | 2 | (1 << 2).
        byte[] expected = [1, 1, 1, A, 1, 0, 3, 1, (1 << 5) | 2 | (1 << 2), 2, 1, 0, 1, (byte)'X'];
        Assert.Equal(expected, document.Insert(1, "X").ToArray());

        var peer = new TextDocument(new ReplicaId("b"));
        peer.ApplyUpdate(document.EncodeStateAsUpdate());
        Assert.Equal("aXbc", peer.ToString());
    }

    [Fact]
    public void LocalInsert_WhenTheLocalClientIsNotClient0_NamesOtherReplicasInItsTable()
    {
        // The encoder takes the local client as a parameter: here "me" is client 1 and "other" (client 0) holds the origins.
        var store = new ItemStore();
        int other = store.ClientNumber(new ReplicaId("o"));
        int me = store.ClientNumber(new ReplicaId("m"));
        store.InsertLocal(other, 0, "xy", out _);
        int clock = store.InsertLocal(me, 1, "Z", out ItemOrigins origins);
        Assert.Equal(new ItemOrigins(other, 0, other, 1), origins);

        TextUpdate update = UpdateEncoder.EncodeLocalInsert(store, me, clock, "Z", origins);

        // Table ["m", "o"]; item: origin-left other replica (kind 3) o:0, origin-right other replica (kind 2) o:1.
        byte[] expected = [1, 2, 1, (byte)'m', 1, (byte)'o', 1, 0, 0, 1, (1 << 5) | 3 | (2 << 2), 1, 0, 1, 1, 0, 1, (byte)'Z'];
        Assert.Equal(expected, update.ToArray());

        // Only the left origin on client 0, the right one on the local client.
        int next = store.InsertLocal(me, 1, "W", out ItemOrigins leftOnly);
        Assert.Equal(new ItemOrigins(other, 0, me, clock), leftOnly);
        byte[] left = [1, 2, 1, (byte)'m', 1, (byte)'o', 1, 0, 1, 1, (1 << 5) | 3 | (1 << 2), 1, 0, 0, 0, 1, (byte)'W'];
        Assert.Equal(left, UpdateEncoder.EncodeLocalInsert(store, me, next, "W", leftOnly).ToArray());
    }

    [Fact]
    public void LocalInsert_LongTextBetweenReplicasWithLongIds_FitsItsBuffer() =>
        PropertyCheck.ForAll(Gen.Zip(Gen.Choose(1, 256), Gen.Choose(300, 1200)), t =>
        {
            // Three-byte characters between the text of two other replicas, ids of up to 256 characters: the update is over
            // 1,024 bytes, so the encoder sizes its buffer from the ids and the text.
            var left = new TextDocument(new ReplicaId(new string('l', t.Item1)));
            var right = new TextDocument(new ReplicaId(new string('r', 257 - t.Item1)));
            var writer = new TextDocument(new ReplicaId(new string('w', t.Item1)));
            TextUpdate l = left.Insert(0, "L");
            right.ApplyUpdate(l);
            TextUpdate r = right.Insert(1, "R");
            writer.ApplyUpdate(l);
            writer.ApplyUpdate(r);
            string text = new('€', t.Item2);

            TextUpdate update = writer.Insert(1, text);

            DecodedUpdate decoded = UpdateDecoder.Decode(update.Span);
            Assert.Equal(new[] { writer.Replica, left.Replica, right.Replica }, decoded.Replicas);
            Assert.Equal(t.Item2, decoded.Items[0].Length);
            decoded.Release();
            var peer = new TextDocument(new ReplicaId("peer"));
            peer.ApplyUpdate(l);
            peer.ApplyUpdate(r);
            peer.ApplyUpdate(update);
            Assert.Equal("L" + text + "R", peer.ToString());
        }, 40);

    [Fact]
    public void StateDiff_DeletedItemStraddlingThePeersClock_DeleteSetStopsAtThePeersClock()
    {
        var alice = new TextDocument(new ReplicaId("a"));
        alice.Insert(0, "abcd");
        alice.Delete(0, 4);
        VersionVector peer = VersionVector.Empty.Advance(new ReplicaId("a"), 2);

        // Block: replica 0 from clock 2, one deleted item of length 2 cut from the one of length 4 (origin-left = the clock
        // before the cut, kind 1): info = (2 << 5) | deleted | 1. Delete set: replica 0, one range [0, 2). No content.
        byte[] expected = [1, 1, 1, A, 1, 0, 2, 1, (2 << 5) | 0x10 | 1, 1, 0, 1, 0, 2, 0];
        Assert.Equal(expected, alice.EncodeStateAsUpdate(peer).ToArray());

        // Whole state: the deleted item whole, no delete set.
        byte[] whole = [1, 1, 1, A, 1, 0, 0, 1, (4 << 5) | 0x10, 0, 0];
        Assert.Equal(whole, alice.EncodeStateAsUpdate().ToArray());
        Assert.Equal(whole, alice.EncodeStateAsUpdate(VersionVector.Empty).ToArray());
    }

    [Fact]
    public void StateDiff_ListsEveryReplicaWithClocks_EvenWithNothingNew()
    {
        // carol is client 0 of her document; dave's "Z" sits between carol's "a" and "b". A peer that has carol's text
        // lacks only "Z"; carol, who has nothing new, is still in the table (the origins name her).
        var carol = new TextDocument(new ReplicaId("c"));
        var dave = new TextDocument(new ReplicaId("d"));
        TextUpdate ab = carol.Insert(0, "ab");
        dave.ApplyUpdate(ab);
        carol.ApplyUpdate(dave.Insert(1, "Z"));
        var peer = new TextDocument(new ReplicaId("p"));
        peer.ApplyUpdate(ab);

        TextUpdate diff = carol.EncodeStateAsUpdate(peer.StateVector);

        // Table ["c", "d"]; dave's block (index 1) at clock 0: origin-left c:0 (kind 3), origin-right c:1 (kind 2).
        byte[] expected = [1, 2, 1, (byte)'c', 1, (byte)'d', 1, 1, 0, 1, (1 << 5) | 3 | (2 << 2), 0, 0, 0, 1, 0, 1, (byte)'Z'];
        Assert.Equal(expected, diff.ToArray());
        peer.ApplyUpdate(diff);
        Assert.Equal("aZb", peer.ToString());
    }

    [Fact]
    public void Changes_OfOneClient_NameTheClientsOfItsOrigins_IncludingClient0()
    {
        // Client 0 ("o") has nothing to send but holds both origins of client 1's item: the table must list it.
        var store = new ItemStore();
        int other = store.ClientNumber(new ReplicaId("o"));
        int me = store.ClientNumber(new ReplicaId("m"));
        store.InsertLocal(other, 0, "xy", out _);
        store.InsertLocal(me, 1, "Z", out _);
        int[] starts = [store.Client(other).Next, 0];

        TextUpdate update = new UpdateEncoder().EncodeChanges(store, starts, new DeleteSet());

        // Table ["o", "m"]; m's block (index 1) at clock 0: origin-left o:0 (kind 3), origin-right o:1 (kind 2).
        byte[] expected = [1, 2, 1, (byte)'o', 1, (byte)'m', 1, 1, 0, 1, (1 << 5) | 3 | (2 << 2), 0, 0, 0, 1, 0, 1, (byte)'Z'];
        Assert.Equal(expected, update.ToArray());

        // Without the origins on another client, only the client itself is named.
        var alone = new ItemStore();
        alone.ClientNumber(new ReplicaId("o"));
        int solo = alone.ClientNumber(new ReplicaId("m"));
        alone.InsertLocal(solo, 0, "Z", out _);
        byte[] single = [1, 1, 1, (byte)'m', 1, 0, 0, 1, 1 << 5, 0, 1, (byte)'Z'];
        Assert.Equal(single, new UpdateEncoder().EncodeChanges(alone, [0, 0], new DeleteSet()).ToArray());
    }

    [Fact]
    public void WholeState_OfAReplicaThatNeverEdited_LeavesItOutOfTheTable()
    {
        var alice = new TextDocument(new ReplicaId("a"));
        var reader = new TextDocument(new ReplicaId("r"));
        reader.ApplyUpdate(alice.Insert(0, "hi"));

        byte[] expected = [1, 1, 1, A, 1, 0, 0, 1, 2 << 5, 0, 2, (byte)'h', (byte)'i'];
        Assert.Equal(expected, reader.EncodeStateAsUpdate().ToArray());
    }

    [Fact]
    public void LocalDeletes_AcrossManyReplicas_NameEachOnceInFirstSeenOrder_AndReuseNoStaleTable()
    {
        // Ten replicas type one character each, in id order; the local replica "r" then deletes them in two updates.
        var local = new TextDocument(new ReplicaId("r"));
        for (int i = 0; i < 10; i++)
        {
            var author = new TextDocument(new ReplicaId(((char)('a' + i)).ToString()));
            author.ApplyUpdate(local.EncodeStateAsUpdate());
            local.ApplyUpdate(author.Insert(i, ((char)('A' + i)).ToString()));
        }

        Assert.Equal("ABCDEFGHIJ", local.ToString());

        // Deleting everything: clients 1..10 of the document (0 is "r"), each one range at clock 0.
        TextUpdate all = local.Delete(0, 10);
        byte[] table = [10, .. Enumerable.Range(0, 10).SelectMany(i => new byte[] { 1, (byte)('a' + i) })];
        byte[] ranges = [10, .. Enumerable.Range(0, 10).SelectMany(i => new byte[] { (byte)i, 1, 0, 1 })];
        byte[] expected = [1, .. table, 0, .. ranges, 0];
        Assert.Equal(expected, all.ToArray());

        // The next local delete names one replica: nothing of the first one's table may remain.
        local.Insert(0, "xy");
        byte[] one = [1, 1, 1, (byte)'r', 0, 1, 0, 1, 1, 1, 0];
        Assert.Equal(one, local.Delete(1, 1).ToArray());
    }

    [Fact]
    public void StateDiff_LiveItemStraddlingThePeersClock_SendsTheTailFromTheRightOffset()
    {
        // alice's "hello" is one item at clocks 2..6 (typed "he", then "llo" right after it, squashed), after "xy" at 0..1.
        // A peer with clocks a:0..3 lacks "llo": the block starts at clock 4, the item is cut 2 into it (origin-left a:3, the
        // clock before the cut: kind 1), its origin-right stays a:0 (same replica, distance 4 - 1 - 0 = 3: kind 1).
        var alice = new TextDocument(new ReplicaId("a"));
        TextUpdate xy = alice.Insert(0, "xy");
        TextUpdate he = alice.Insert(0, "he");
        var peer = new TextDocument(new ReplicaId("p"));
        peer.ApplyUpdate(xy);
        peer.ApplyUpdate(he);
        alice.Insert(2, "llo");
        Assert.Equal("helloxy", alice.ToString());

        TextUpdate diff = alice.EncodeStateAsUpdate(peer.StateVector);

        // Info = (3 << 5) | right kind 1 (<< 2) | left kind 1; right distance 3; no delete set; content "llo".
        byte[] expected = [1, 1, 1, A, 1, 0, 4, 1, (3 << 5) | (1 << 2) | 1, 3, 0, 3, .. "llo"u8];
        Assert.Equal(expected, diff.ToArray());
        peer.ApplyUpdate(diff);
        Assert.Equal("helloxy", peer.ToString());
    }

    [Fact]
    public void StateDiff_DeletedItemStraddlingThePeersClock_AtALaterClock_CutsTheDeleteSetAtThePeersClock()
    {
        // alice's deleted "hello" is one item at clocks 2..6; a peer with a:0..3 gets the delete range [2, 4) (the part it
        // has: limit 4 - clock 2 = 2, not the item's 5) and the tail 4..6 as a deleted block.
        var alice = new TextDocument(new ReplicaId("a"));
        alice.Insert(0, "xy");
        alice.Insert(0, "hello");
        alice.Delete(0, 5);
        VersionVector peer = VersionVector.Empty.Advance(new ReplicaId("a"), 4);

        // Block: a from clock 4, one deleted item of length 3 (info = (3 << 5) | deleted | right kind 1 | left kind 1), right
        // distance 3. Delete set: replica 0, one range [2, 4). No content.
        byte[] expected = [1, 1, 1, A, 1, 0, 4, 1, (3 << 5) | 0x10 | (1 << 2) | 1, 3, 1, 0, 1, 2, 2, 0];
        Assert.Equal(expected, alice.EncodeStateAsUpdate(peer).ToArray());
    }

    [Fact]
    public void StateDiff_NamesEveryReplicaWithClocks_EvenOneNoItemOrDeleteNames()
    {
        // dave's "Q" comes first; alice types "ab" after it and then "cd" after her own text. A peer lacking only "cd" gets
        // one block of alice whose origins name only alice, but the state diff's table lists every replica with clocks.
        var dave = new TextDocument(new ReplicaId("d"));
        var alice = new TextDocument(new ReplicaId("a"));
        TextUpdate q = dave.Insert(0, "Q");
        alice.ApplyUpdate(q);
        TextUpdate ab = alice.Insert(1, "ab");
        var peer = new TextDocument(new ReplicaId("p"));
        peer.ApplyUpdate(q);
        peer.ApplyUpdate(ab);
        alice.Insert(3, "cd");

        TextUpdate diff = alice.EncodeStateAsUpdate(peer.StateVector);

        // Table ["a", "d"] (alice is client 0 of her document); alice's block from clock 2: "cd", origin-left a:1 (kind 1).
        byte[] expected = [1, 2, 1, A, 1, (byte)'d', 1, 0, 2, 1, (2 << 5) | 1, 0, 2, .. "cd"u8];
        Assert.Equal(expected, diff.ToArray());
        peer.ApplyUpdate(diff);
        Assert.Equal("Qabcd", peer.ToString());
    }

    [Fact]
    public void Changes_WithOnlyADeleteOfAnotherClient_NameThatClientThroughTheDeleteSet()
    {
        // No client has items to send; the delete set names client 0 ("o") alone.
        var store = new ItemStore();
        int other = store.ClientNumber(new ReplicaId("o"));
        int me = store.ClientNumber(new ReplicaId("m"));
        store.InsertLocal(other, 0, "xy", out _);
        store.InsertLocal(me, 2, "Z", out _);
        var deletes = new DeleteSet();
        deletes.Add(other, 1, 1);
        int[] starts = [store.Client(other).Next, store.Client(me).Next];

        TextUpdate update = new UpdateEncoder().EncodeChanges(store, starts, deletes);

        // Table ["o"], no blocks; delete set: replica 0, one range [1, 2). No content.
        byte[] expected = [1, 1, 1, (byte)'o', 0, 1, 0, 1, 1, 1, 0];
        Assert.Equal(expected, update.ToArray());
    }

    [Fact]
    public void Changes_OriginsOnClient0OnOneSideOnly_StillNameClient0()
    {
        // m's "L" has its left origin on o:1 and no right origin; m's "R" (inserted at 0) has no left origin and its right
        // origin on o:0. Each side alone must put client 0 in the table.
        var store = new ItemStore();
        int other = store.ClientNumber(new ReplicaId("o"));
        int me = store.ClientNumber(new ReplicaId("m"));
        store.InsertLocal(other, 0, "xy", out _);
        int[] starts = [store.Client(other).Next, store.Client(me).Next];
        store.InsertLocal(me, 2, "L", out ItemOrigins leftOnly);
        Assert.Equal(new ItemOrigins(other, 1, -1, 0), leftOnly);
        byte[] left = [1, 2, 1, (byte)'o', 1, (byte)'m', 1, 1, 0, 1, (1 << 5) | 3, 0, 1, 0, 1, (byte)'L'];
        Assert.Equal(left, new UpdateEncoder().EncodeChanges(store, starts, new DeleteSet()).ToArray());

        int[] afterL = [store.Client(other).Next, store.Client(me).Next];
        store.InsertLocal(me, 0, "R", out ItemOrigins rightOnly);
        Assert.Equal(new ItemOrigins(-1, 0, other, 0), rightOnly);
        byte[] right = [1, 2, 1, (byte)'o', 1, (byte)'m', 1, 1, 1, 1, (1 << 5) | (2 << 2), 0, 0, 0, 1, (byte)'R'];
        Assert.Equal(right, new UpdateEncoder().EncodeChanges(store, afterL, new DeleteSet()).ToArray());
    }

    [Fact]
    public void LocalInsert_WithOnlyARightOriginOnClient0_NamesClient0()
    {
        // "me" is client 1 and inserts before o's text: no left origin, right origin o:0.
        var store = new ItemStore();
        int other = store.ClientNumber(new ReplicaId("o"));
        int me = store.ClientNumber(new ReplicaId("m"));
        store.InsertLocal(other, 0, "xy", out _);
        int clock = store.InsertLocal(me, 0, "Z", out ItemOrigins origins);
        Assert.Equal(new ItemOrigins(-1, 0, other, 0), origins);

        // Table ["m", "o"]; info = (1 << 5) | right kind 2 (other replica: index 1, clock 0).
        byte[] expected = [1, 2, 1, (byte)'m', 1, (byte)'o', 1, 0, 0, 1, (1 << 5) | (2 << 2), 1, 0, 0, 1, (byte)'Z'];
        Assert.Equal(expected, UpdateEncoder.EncodeLocalInsert(store, me, clock, "Z", origins).ToArray());
    }

    [Fact]
    public void ByteWriter_GrowsForWritesFarLargerThanItsBuffer()
    {
        var writer = new ByteWriter(0);
        byte[] big = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();
        writer.WriteBytes(big);
        writer.WriteByte(0xAB);
        writer.WriteBytes(big);
        Assert.Equal([.. big, 0xAB, .. big], writer.ToArray());
        Assert.Equal(201, writer.Length);

        // A span far beyond the doubled capacity, then counts right at the end of the buffer.
        Span<byte> span = writer.GetSpan(1000);
        Assert.Equal(1000, span.Length);
        span[999] = 7;
        writer.Advance(1000);
        Assert.Equal(1201, writer.Length);
        Assert.Equal(7, writer.Span[1200]);
    }

    [Fact]
    public void ByteWriter_CountsAtEveryOffsetOfTheBuffer_AreWrittenWhole() =>
        PropertyCheck.ForAll(Gen.Zip(Gen.Choose(0, 40), Gen.Choose(0, int.MaxValue)), t =>
        {
            // Fill up to an offset near the end of the initial 16-byte buffer, then write a count of 1 to 5 bytes.
            var writer = new ByteWriter(16);
            for (int i = 0; i < t.Item1; i++)
            {
                writer.WriteByte(0xEE);
            }

            writer.WriteCount(t.Item2);
            writer.WriteCount(t.Item2);
            var reader = new ByteReader(writer.Span[t.Item1..]);
            Assert.Equal(t.Item2, reader.ReadCount("count"));
            Assert.Equal(t.Item2, reader.ReadCount("count"));
            reader.ExpectEnd();
        }, 300);

    [Fact]
    public void SpanWriter_WritesInOrder_AndReportsItsPosition()
    {
        Span<byte> buffer = stackalloc byte[32];
        var writer = new SpanWriter(buffer);
        writer.WriteByte(9);
        writer.WriteCount(300);
        writer.WriteBytes([1, 2]);
        writer.WriteUtf8("é😀");
        Assert.Equal(1 + 2 + 2 + 2 + 4, writer.Position);
        Assert.Equal([9, 0xAC, 0x02, 1, 2, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80], writer.ToArray());
    }
}
