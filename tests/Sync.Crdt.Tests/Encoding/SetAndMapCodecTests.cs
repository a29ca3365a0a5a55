using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Maps;
using Sync.Crdt.Registers;
using Sync.Crdt.Sets;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Encoding;

public class SetAndMapCodecTests
{
    [Fact]
    public void ORSet_RandomStates_RoundTripInBinaryAndJson() =>
        PropertyCheck.ForAll(CrdtGenerators.ORSet, set =>
        {
            CodecAssert.BinaryRoundTrips(set);
            CodecAssert.JsonRoundTrips(set);
        });

    [Fact]
    public void LWWMap_RandomStates_RoundTripInBinaryAndJson() =>
        PropertyCheck.ForAll(CrdtGenerators.LWWMap, map =>
        {
            CodecAssert.BinaryRoundTrips(map);
            CodecAssert.JsonRoundTrips(map);
        });

    [Fact]
    public void Deltas_OfSetAndMapMutators_RoundTrip()
    {
        ORSet<string> set = ORSet<string>.Empty.Add("a", "x").Add("b", "y");
        set.Add("c", "x", out ORSet<string> addDelta);
        set.Remove("y", out ORSet<string> removeDelta);
        set.Clear(out ORSet<string> clearDelta);
        var clock = new LamportClock();
        LWWMap<string, int> map = LWWMap<string, int>.Empty.Put("a", "k", 1, clock);
        map.Put("a", "j", 2, clock, out LWWMap<string, int> putDelta);
        map.Remove("b", "k", clock, out LWWMap<string, int> deleteDelta);
        foreach (ORSet<string> delta in new[] { addDelta, removeDelta, clearDelta })
        {
            CodecAssert.BinaryRoundTrips(delta);
            CodecAssert.JsonRoundTrips(delta);
        }

        CodecAssert.BinaryRoundTrips(putDelta);
        CodecAssert.BinaryRoundTrips(deleteDelta);
        CodecAssert.JsonRoundTrips(deleteDelta);
        Assert.True(CrdtSerializer.SerializeToBytes(addDelta).Length < 32);
    }

    [Fact]
    public void ORSet_KnownValue_HasDocumentedLayout()
    {
        ORSet<string> set = ORSet<string>.Empty.Add("a", "y").Add("a", "x");

        // signature [52, 1]; table "a"; context vector {a:2}, no cloud; 2 elements:
        // "x" with 1 dot (a:2), "y" with 1 dot (a:1).
        Assert.Equal(
            Hex.Parse("53 43 01 02 34 01 01 01 61 01 00 02 00 02 01 78 01 00 02 01 79 01 00 01"),
            CrdtSerializer.SerializeToBytes(set));
        Assert.Equal(
            "{\"elements\":[{\"value\":\"x\",\"dots\":[{\"replica\":\"a\",\"counter\":2}]},{\"value\":\"y\",\"dots\":[{\"replica\":\"a\",\"counter\":1}]}],\"context\":{\"vector\":{\"a\":2},\"cloud\":[]}}",
            CodecAssert.JsonRoundTrips(set));
    }

    [Fact]
    public void LWWMap_KnownValue_HasDocumentedLayout()
    {
        LWWMap<string, int> map = LWWMap<string, int>.Empty
            .Put(new LWWTimestamp(7, "a"), "k", -1)
            .Put(new LWWTimestamp(1, "b"), "d", 5)
            .Remove(new LWWTimestamp(2, "b"), "d");

        // signature [53, 1, 7]; table "b", "a" (first use); 2 entries: "d" delete @2 b; "k" put @7 a value zigzag(-1)=1.
        Assert.Equal(
            Hex.Parse("53 43 01 03 35 01 07 02 01 62 01 61 02 01 64 01 02 00 01 6b 00 07 01 01"),
            CrdtSerializer.SerializeToBytes(map));
        Assert.Equal(
            "{\"entries\":[{\"key\":\"d\",\"deleted\":true,\"timestamp\":{\"time\":2,\"replica\":\"b\"}},{\"key\":\"k\",\"value\":-1,\"timestamp\":{\"time\":7,\"replica\":\"a\"}}]}",
            CodecAssert.JsonRoundTrips(map));
    }

    public static TheoryData<string, string> HostileSets => new()
    {
        // context {a:2}; elements: "x" (a:1), "x" (a:2): duplicate element.
        { "53 43 01 02 34 01 01 01 61 01 00 02 00 02 01 78 01 00 01 01 78 01 00 02", "strictly ascending order" },
        // "y" then "x": unsorted elements.
        { "53 43 01 02 34 01 01 01 61 01 00 02 00 02 01 79 01 00 01 01 78 01 00 02", "strictly ascending order" },
        // "x" with dot a:3, which the context {a:2} does not contain.
        { "53 43 01 02 34 01 01 01 61 01 00 02 00 01 01 78 01 00 03", "does not contain" },
        // "x" and "y" both kept alive by a:1.
        { "53 43 01 02 34 01 01 01 61 01 00 02 00 02 01 78 01 00 01 01 79 01 00 01", "keeps two set elements alive" },
        // "x" with no dots.
        { "53 43 01 02 34 01 01 01 61 01 00 02 00 01 01 78 00 00 00", "no dots" },
        // "x" with dots a:2, a:1 (unsorted).
        { "53 43 01 02 34 01 01 01 61 01 00 02 00 01 01 78 02 00 02 00 01", "strictly ascending order" },
        // element count near int.MaxValue.
        { "53 43 01 02 34 01 01 01 61 01 00 02 00 fe ff ff ff 07 01 78", "MaxElements" },
        // element signature says ORSet<int>.
        { "53 43 01 02 34 07 00 00 00 00", "type signature [52, 7]" },
    };

    [Theory]
    [MemberData(nameof(HostileSets))]
    public void ORSet_HostileInput_ThrowsFormatException(string hex, string reason)
    {
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<ORSet<string>>(Hex.Parse(hex)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Offset > 0);
    }

    public static TheoryData<string, string> HostileMaps => new()
    {
        // "k" twice.
        { "53 43 01 03 35 01 07 01 01 61 02 01 6b 00 01 00 02 01 6b 00 02 00 04", "strictly ascending order" },
        // entry kind 3.
        { "53 43 01 03 35 01 07 01 01 61 01 01 6b 03 01 00 02", "kind 3 is invalid" },
        // kind 2 (null) for an int value.
        { "53 43 01 03 35 01 07 01 01 61 01 01 6b 02 01 00", "kind 2 is invalid" },
        // truncated value.
        { "53 43 01 03 35 01 07 01 01 61 01 01 6b 00 01 00", "end of input" },
    };

    [Theory]
    [MemberData(nameof(HostileMaps))]
    public void LWWMap_HostileInput_ThrowsFormatException(string hex, string reason)
    {
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<LWWMap<string, int>>(Hex.Parse(hex)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LWWMap_NullValues_UseKindTwoAndRoundTrip()
    {
        LWWMap<string, string?> map = LWWMap<string, string?>.Empty.Put(new LWWTimestamp(1, "a"), "k", null);
        byte[] bytes = CodecAssert.BinaryRoundTrips(map);
        Assert.Equal(Hex.Parse("53 43 01 03 35 01 01 01 01 61 01 01 6b 02 01 00"), bytes);
        CodecAssert.JsonRoundTrips(map);
    }

    [Fact]
    public void LWWRegister_NullValue_UsesStateTwoAndRoundTrips()
    {
        LWWRegister<string?> register = LWWRegister<string?>.Create(new LWWTimestamp(4, "a"), null);
        Assert.Equal(Hex.Parse("53 43 01 02 32 01 01 01 61 02 04 00"), CodecAssert.BinaryRoundTrips(register));
        Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<LWWRegister<int>>(Hex.Parse("53 43 01 02 32 07 01 01 61 02 04 00")));
    }

    [Fact]
    public void NestedMaps_DeepValues_RoundTripAndHitDepthLimit()
    {
        var clock = new LamportClock();
        ORSet<string> leaf = ORSet<string>.Empty.Add("a", "x").Add("b", "y");
        LWWMap<string, ORSet<string>> inner = LWWMap<string, ORSet<string>>.Empty.Put("a", "s", leaf, clock);
        LWWMap<string, LWWMap<string, ORSet<string>>> outer = LWWMap<string, LWWMap<string, ORSet<string>>>.Empty.Put("c", "m", inner, clock);
        byte[] bytes = CodecAssert.BinaryRoundTrips(outer);
        CodecAssert.JsonRoundTrips(outer);

        // Depth: outer map 1, its key/value 2, inner map's key/value 3, set elements 4.
        Assert.Equal(outer, CrdtSerializer.Deserialize<LWWMap<string, LWWMap<string, ORSet<string>>>>(bytes, new CrdtSerializerOptions { MaxDepth = 4 }));
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() =>
            CrdtSerializer.Deserialize<LWWMap<string, LWWMap<string, ORSet<string>>>>(bytes, new CrdtSerializerOptions { MaxDepth = 3 }));
        Assert.Contains("MaxDepth (3)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ORSet_CustomComparer_NeedsMatchingCodec()
    {
        IComparer<string> reverse = Comparer<string>.Create((x, y) => string.CompareOrdinal(y, x));
        ORSet<string> set = ORSet<string>.CreateEmpty(reverse).Add("a", "x").Add("a", "y");
        Assert.Throws<ArgumentException>(() => CrdtSerializer.SerializeToBytes(set));
        ICrdtValueCodec<ORSet<string>> codec = CrdtCodecs.ORSet(CrdtCodecs.String, reverse);
        byte[] bytes = CrdtSerializer.SerializeToBytes(set, codec);
        ORSet<string> back = CrdtSerializer.Deserialize(bytes, codec);
        Assert.Equal(set, back);
        Assert.Equal(["y", "x"], back.ToArray());
    }

    [Fact]
    public void ORSet_ElementWithoutOrder_ThrowsNotSupported()
    {
        NotSupportedException noOrder = Assert.Throws<NotSupportedException>(() => CrdtCodecs.For<ORSet<byte[]>>());
        Assert.Contains("no default order", noOrder.Message, StringComparison.Ordinal);
        Assert.Throws<NotSupportedException>(() => CrdtSerializer.SerializeToBytes(ORSet<byte[]>.CreateEmpty(Comparer<byte[]>.Create((x, y) => x.AsSpan().SequenceCompareTo(y)))));
    }

    [Theory]
    [InlineData("{\"elements\":[{\"value\":\"x\",\"dots\":[{\"replica\":\"a\",\"counter\":3}]}],\"context\":{\"vector\":{\"a\":2},\"cloud\":[]}}", "context")]
    [InlineData("{\"elements\":[{\"value\":\"x\",\"dots\":[{\"replica\":\"a\",\"counter\":1}]},{\"value\":\"x\",\"dots\":[{\"replica\":\"a\",\"counter\":2}]}],\"context\":{\"vector\":{\"a\":2},\"cloud\":[]}}", "strictly increasing")]
    [InlineData("{\"elements\":[{\"value\":\"x\",\"dots\":[]}],\"context\":{\"vector\":{\"a\":2},\"cloud\":[]}}", "at least one dot")]
    public void ORSetJson_Invalid_ThrowsJsonException(string json, string reason)
    {
        JsonException ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ORSet<string>>(json, CodecAssert.Json));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"entries\":[{\"key\":\"k\",\"value\":1,\"timestamp\":{\"time\":1,\"replica\":\"a\"}},{\"key\":\"k\",\"value\":2,\"timestamp\":{\"time\":2,\"replica\":\"a\"}}]}", "strictly increasing")]
    [InlineData("{\"entries\":[{\"key\":\"k\",\"value\":1,\"deleted\":true,\"timestamp\":{\"time\":1,\"replica\":\"a\"}}]}", "either")]
    [InlineData("{\"entries\":[{\"key\":\"k\",\"value\":1}]}", "timestamp")]
    public void LWWMapJson_Invalid_ThrowsJsonException(string json, string reason)
    {
        JsonException ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<LWWMap<string, int>>(json, CodecAssert.Json));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ORSet_StringElements_WrittenInUtf16OrdinalOrderNotUtf8Order()
    {
        // U+FFFD sorts after U+1F600 by UTF-16 code unit (0xFFFD > 0xD83D) but before it by UTF-8 bytes (EF < F0).
        ORSet<string> set = ORSet<string>.Empty.Add("a", "\uFFFD").Add("a", "\U0001F600");
        byte[] bytes = CodecAssert.BinaryRoundTrips(set);
        int emoji = bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes("\U0001F600"));
        int replacement = bytes.AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes("\uFFFD"));
        Assert.True(emoji >= 0 && replacement >= 0 && emoji < replacement);
    }

    [Fact]
    public void GuidDefaultOrder_EqualsOrderOfEncodedBytes()
    {
        var random = new Random(7);
        Guid[] guids = Enumerable.Range(0, 500).Select(_ =>
        {
            byte[] b = new byte[16];
            random.NextBytes(b);
            return new Guid(b);
        }).ToArray();
        Guid[] byComparer = guids.OrderBy(g => g).ToArray();
        Guid[] byBytes = guids.OrderBy(g => Convert.ToHexString(g.ToByteArray(bigEndian: true)), StringComparer.Ordinal).ToArray();
        Assert.Equal(byBytes, byComparer);
    }

    [Fact]
    public void LargeStates_ThousandsOfEntries_RoundTrip()
    {
        ORSet<int>.Builder builder = ORSet<int>.Empty.ToBuilder();
        for (int i = 0; i < 5000; i++)
        {
            builder.Add(i % 3 == 0 ? "a" : "b", i * 7);
        }

        ORSet<int> set = builder.ToImmutable();
        byte[] bytes = CodecAssert.BinaryRoundTrips(set);
        Assert.True(bytes.Length < 5000 * 8, $"{bytes.Length} bytes for 5000 elements");
    }
}
