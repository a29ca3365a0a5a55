using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Sets;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Encoding;

/// <summary>
/// The bulk fast paths of the binary codecs (sort-based dot index, index-ordered vectors, sorted replica tables,
/// table-joining vector writes) give exactly what the general paths give, and reject what they reject.
/// </summary>
public class BulkDecodeTests
{
    [Fact]
    public void ORSet_Decode_EqualsTheCheckedConstructionWithTheSameDotIndex() =>
        PropertyCheck.ForAll(CrdtGenerators.ORSet, set =>
        {
            ORSet<string> decoded = CrdtSerializer.Deserialize<ORSet<string>>(CrdtSerializer.SerializeToBytes(set));
            decoded.Validate();
            ORSet<string> slow = SlowPath(decoded);
            Assert.Equal(slow, decoded);
            Assert.Equal(Index(slow), Index(decoded));
        });

    [Fact]
    public void ORSet_ManyReplicasWithReAddsOutOfOrder_DecodesToAValidEqualSet()
    {
        // Many replicas, each element re-added by a replica out of counter order: the per-replica sort runs.
        ORSet<string> set = ORSet<string>.Empty;
        for (int i = 0; i < 2_000; i++)
        {
            set = set.Add("r" + (i % 37).ToString("D2", System.Globalization.CultureInfo.InvariantCulture), "e" + ((i * 7919) % 1_000).ToString("D4", System.Globalization.CultureInfo.InvariantCulture));
        }

        ORSet<string> decoded = CrdtSerializer.Deserialize<ORSet<string>>(CrdtSerializer.SerializeToBytes(set));
        decoded.Validate();
        Assert.Equal(set, decoded);
        Assert.Equal(Index(set), Index(decoded));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ORSet_DotOnTwoElements_IsRejected(bool laterReplica)
    {
        // x holds (a, 1) and (b, 1) and y (b, 1); or x holds (a, 1), (b, 1), (c, 1) and y (a, 2), (c, 1).
        string[] table = ["a", "b", "c"];
        var body = new List<byte> { 3, 0, 3, 1, 3, 2, 3, 0, 2 }; // context a:3, b:3, c:3, no cloud; 2 elements
        if (laterReplica)
        {
            AddElement(body, "x", [(0, 1), (1, 1), (2, 1)]);
            AddElement(body, "y", [(0, 2), (2, 1)]);
        }
        else
        {
            AddElement(body, "x", [(0, 1), (1, 1)]);
            AddElement(body, "y", [(1, 1)]);
        }

        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<ORSet<string>>(Message(CrdtTypeTags.ORSet, table, body, stringArgument: true)));
        Assert.Contains("keeps two set elements alive", ex.Message, StringComparison.Ordinal);

        // The offset is the second occurrence's: the last dot of y, two bytes before the end of the message.
        Assert.Equal(Message(CrdtTypeTags.ORSet, table, body, stringArgument: true).Length - 2, ex.Offset);
    }

    [Theory]
    [InlineData(new[] { 1, 9, 2, 3, 4, 8 }, false)] // one re-add out of place
    [InlineData(new[] { 6, 5, 4, 3, 2, 1 }, false)] // descending: nothing in place
    [InlineData(new[] { 1, 9, 2, 3, 4, 9 }, true)] // the duplicate is the last entry, kept in the ascending run
    [InlineData(new[] { 1, 7, 2, 3, 7, 4 }, true)] // both occurrences set aside
    [InlineData(new[] { 2, 1, 3, 4, 5, 1 }, true)] // one set aside, one kept
    public void ORSet_OneReplicasCountersOutOfOrder_SortAndFindDuplicates(int[] counters, bool duplicate)
    {
        // Elements e0..e5, each with one dot of replica a whose counter is counters[i], under the context a:9.
        string[] table = ["a"];
        var body = new List<byte> { 1, 0, 9, 0, (byte)counters.Length };
        for (int i = 0; i < counters.Length; i++)
        {
            AddElement(body, "e" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), [(0, counters[i])]);
        }

        byte[] message = Message(CrdtTypeTags.ORSet, table, body, stringArgument: true);
        if (duplicate)
        {
            CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<ORSet<string>>(message));
            Assert.Contains("keeps two set elements alive", ex.Message, StringComparison.Ordinal);
            return;
        }

        ORSet<string> decoded = CrdtSerializer.Deserialize<ORSet<string>>(message);
        decoded.Validate();
        ORSet<string> slow = SlowPath(decoded);
        Assert.Equal(slow, decoded);
        Assert.Equal(Index(slow), Index(decoded));
        Assert.Equal(counters.Length, decoded.Count);
    }

    [Fact]
    public void ORMap_ManyKeysWithNestedWriterIds_DecodesToAValidEqualMap()
    {
        // Each key's G-counter is written under a per-key writer id (replica#incarnation), so the replica table is far
        // larger than the three dot replicas and out of order; re-updates and removes put counters out of key order.
        DeltaMutator<GCounter> increment = static (GCounter c, ReplicaId r, out GCounter d) => c.Increment(r, 1, out d);
        ReplicaId[] replicas = ["r-c", "r-a", "r-b"];
        Sync.Crdt.Maps.ORMap<string, GCounter> map = Sync.Crdt.Maps.ORMap<string, GCounter>.Empty;
        for (int i = 0; i < 600; i++)
        {
            map = map.Update(replicas[i % 3], "k" + ((i * 7919) % 500).ToString("D3", System.Globalization.CultureInfo.InvariantCulture), increment);
        }

        map = map.Remove("k007").Remove("k123");
        Sync.Crdt.Maps.ORMap<string, GCounter> decoded = CrdtSerializer.Deserialize<Sync.Crdt.Maps.ORMap<string, GCounter>>(CrdtSerializer.SerializeToBytes(map));
        decoded.Validate();
        Assert.Equal(map, decoded);
        Assert.Equal(map.Merge(decoded), decoded);
    }

    [Fact]
    public void ORSet_DotOutsideTheContext_IsRejectedAndCloudDotsAreAccepted()
    {
        string[] table = ["a"];
        var covered = new List<byte> { 1, 0, 2, 1, 0, 5, 1 }; // vector a:2, cloud (a, 5), 1 element
        AddElement(covered, "x", [(0, 5)]);
        ORSet<string> set = CrdtSerializer.Deserialize<ORSet<string>>(Message(CrdtTypeTags.ORSet, table, covered, stringArgument: true));
        Assert.Equal(["x"], set.ToArray());
        set.Validate();

        var outside = new List<byte> { 1, 0, 2, 1, 0, 5, 1 };
        AddElement(outside, "x", [(0, 4)]);
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<ORSet<string>>(Message(CrdtTypeTags.ORSet, table, outside, stringArgument: true)));
        Assert.Contains("does not contain", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReplicaTable_DuplicateAfterAnAscendingPrefix_IsRejected()
    {
        // a, b, a: the first two are ascending, the third switches to the hash check and is found twice.
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<GCounter>(Message(CrdtTypeTags.GCounter, ["a", "b", "a"], [3, 0, 1, 1, 1, 2, 1], stringArgument: false)));
        Assert.Contains("appears twice", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vector_OverADescendingTable_IsOrderedByIdNotByIndex()
    {
        // Table b, a: indices 0 then 1 ascend, but the ids descend.
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<GCounter>(Message(CrdtTypeTags.GCounter, ["b", "a"], [2, 0, 1, 1, 1], stringArgument: false)));
        Assert.Contains("strictly ascending replica order", ex.Message, StringComparison.Ordinal);

        // A PN-counter whose increments use c first: table c, a, b; the decrements a, b (indices 1, 2) are valid,
        // and over table c, b, a the same indices stand for b, a and are rejected.
        PNCounter counter = CrdtSerializer.Deserialize<PNCounter>(Message(CrdtTypeTags.PNCounter, ["c", "a", "b"], [1, 0, 1, 2, 1, 1, 2, 1], stringArgument: false));
        Assert.Equal(-1, counter.Value);
        Assert.Equal(1, counter.Decrements["b"]);
        ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<PNCounter>(Message(CrdtTypeTags.PNCounter, ["c", "b", "a"], [1, 0, 1, 2, 1, 1, 2, 1], stringArgument: false)));
        Assert.Contains("strictly ascending replica order", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vector_RepeatedIndexOverAnAscendingTable_IsRejected()
    {
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<GCounter>(Message(CrdtTypeTags.GCounter, ["a", "b"], [3, 0, 1, 1, 1, 1, 2], stringArgument: false)));
        Assert.Contains("strictly ascending replica order", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PNCounter_DecrementsJoinTheIncrementsTable_InFirstUseOrder()
    {
        PNCounter counter = PNCounter.Empty.Increment("a", 1).Increment("c", 1).Increment("e", 1).Decrement("b", 1).Decrement("c", 2).Decrement("d", 1);
        byte[] bytes = CrdtSerializer.SerializeToBytes(counter);

        // Table a, c, e (the increments, sorted), then b, d as the decrements first use them.
        byte[] expectedTail = Hex.Parse("05 01 61 01 63 01 65 01 62 01 64 03 00 01 01 01 02 01 03 03 01 01 02 04 01");
        Assert.Equal(expectedTail, bytes[^expectedTail.Length..]);
        Assert.Equal(counter, CrdtSerializer.Deserialize<PNCounter>(bytes));
    }

    [Fact]
    public void Counters_ThousandsOfReplicas_RoundTripByteForByte()
    {
        var increments = new List<Dot>();
        var decrements = new List<Dot>();
        for (int i = 0; i < 3_000; i++)
        {
            increments.Add(new Dot("node-" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture), 1 + i));
            if (i % 3 != 0)
            {
                decrements.Add(new Dot("node-" + (i * 2).ToString("D5", System.Globalization.CultureInfo.InvariantCulture), 1 + (i % 7)));
            }
        }

        var counter = PNCounter.Create(GCounter.Create(VersionVector.Create(increments)), GCounter.Create(VersionVector.Create(decrements)));
        byte[] bytes = CrdtSerializer.SerializeToBytes(counter);
        PNCounter back = CrdtSerializer.Deserialize<PNCounter>(bytes);
        Assert.Equal(counter, back);
        Assert.Equal(bytes, CrdtSerializer.SerializeToBytes(back));

        GCounter g = counter.Increments;
        byte[] gBytes = CrdtSerializer.SerializeToBytes(g);
        Assert.Equal(gBytes, CrdtSerializer.SerializeToBytes(CrdtSerializer.Deserialize<GCounter>(gBytes)));
    }

    [Fact]
    public void Strings_ShortAndLongAndNonAscii_RoundTripAndInvalidUtf8IsRejected()
    {
        string[] values = ["", "a", "東京", new string('x', 42), new string('é', 42), string.Concat(Enumerable.Repeat("😀", 21)), new string('y', 300), "\u0080\u07FF\u0800\uFFFF"];
        foreach (string value in values)
        {
            byte[] bytes = CrdtSerializer.SerializeToBytes(value);
            Assert.Equal(value, CrdtSerializer.Deserialize<string>(bytes));
            byte[] utf8 = System.Text.Encoding.UTF8.GetBytes(value);
            Assert.Equal(utf8, bytes[^utf8.Length..]);
            byte[] prefix = new byte[Varint.MaxLength];
            int prefixLength = Varint.Write(prefix, (ulong)utf8.Length);
            Assert.Equal(prefix[..prefixLength], bytes[^(utf8.Length + prefixLength)..^utf8.Length]);
        }

        Assert.Throws<ArgumentException>(() => CrdtSerializer.SerializeToBytes("a\uD800b"));
        byte[] overlong = CrdtSerializer.SerializeToBytes("ab");
        overlong[^2] = 0xC0;
        overlong[^1] = 0x81;
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<string>(overlong));
        Assert.Contains("UTF-8", ex.Message, StringComparison.Ordinal);
    }

    private static ORSet<string> SlowPath(ORSet<string> set)
    {
        string[] items = set.ToArray();
        var dots = new Dot[items.Length][];
        SortedTree<string, Dot[]>.Enumerator entries = set.GetEntryEnumerator();
        int i = 0;
        while (entries.MoveNext())
        {
            dots[i++] = entries.CurrentValue;
        }

        return ORSet<string>.FromParts(set.Comparer, items, dots, set.Context);
    }

    private static List<(Dot Dot, string Item)> Index(ORSet<string> set)
    {
        var result = new List<(Dot, string)>();
        foreach (KeyValuePair<Dot, string> entry in set.DotIndexTree)
        {
            result.Add((entry.Key, entry.Value));
        }

        return result;
    }

    private static void AddElement(List<byte> body, string item, (int Replica, int Counter)[] dots)
    {
        body.Add((byte)item.Length);
        body.AddRange(System.Text.Encoding.UTF8.GetBytes(item));
        body.Add((byte)dots.Length);
        foreach ((int replica, int counter) in dots)
        {
            body.Add((byte)replica);
            body.Add((byte)counter);
        }
    }

    private static byte[] Message(int tag, string[] table, List<byte> body, bool stringArgument)
    {
        var message = new List<byte> { 0x53, 0x43, 0x01 };
        message.AddRange(stringArgument ? [2, (byte)tag, (byte)CrdtTypeTags.String] : [1, (byte)tag]);
        message.Add((byte)table.Length);
        foreach (string id in table)
        {
            message.Add((byte)id.Length);
            message.AddRange(System.Text.Encoding.UTF8.GetBytes(id));
        }

        message.AddRange(body);
        return message.ToArray();
    }

}
