using System;
using System.Text.Json;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Maps;
using Sync.Crdt.Sets;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Encoding;

public class ORMapCodecTests
{
    private static DeltaMutator<GCounter> Add(long amount) => (GCounter c, ReplicaId r, out GCounter d) => c.Increment(r, amount, out d);

    private static DeltaMutator<ORSet<string>> AddTo(string element) => (ORSet<string> s, ReplicaId r, out ORSet<string> d) => s.Add(r, element, out d);

    [Fact]
    public void RandomStatesAndDeltas_RoundTripInBinaryAndJson() =>
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed =>
        {
            var random = new Random(seed);
            ReplicaId[] ids = ["a", "b", "c"];
            var replicas = new[] { ORMap<string, ORSet<string>>.Empty, ORMap<string, ORSet<string>>.Empty, ORMap<string, ORSet<string>>.Empty };
            for (int i = random.Next(1, 25); i > 0; i--)
            {
                int r = random.Next(3);
                string key = "k" + random.Next(5);
                ORMap<string, ORSet<string>> delta;
                replicas[r] = random.Next(6) switch
                {
                    < 3 => replicas[r].Update(ids[r], key, AddTo("e" + random.Next(4)), out delta),
                    < 5 => replicas[r].Remove(key, out delta),
                    _ => replicas[r].Merge(replicas[random.Next(3)]).Clear(out delta),
                };
                CodecAssert.BinaryRoundTrips(delta);
                CodecAssert.JsonRoundTrips(delta);
            }

            foreach (ORMap<string, ORSet<string>> replica in replicas)
            {
                CodecAssert.BinaryRoundTrips(replica);
                CodecAssert.JsonRoundTrips(replica);
                CodecAssert.BinaryRoundTrips(replica.Merge(replicas[random.Next(3)]));
            }
        },
        iterations: 100);

    [Fact]
    public void KnownValue_HasDocumentedLayout()
    {
        ORMap<string, GCounter> map = ORMap<string, GCounter>.Empty.Update("a", "x", Add(2)).Update("a", "x", Add(1));

        // header; signature [54, 1, 48]; table "a", "a#1"; context vector {a:2}, no cloud; 1 key: "x" with 1 update:
        // dot a:2, incarnation 2 - 1 = 1 below the counter, the GCounter {a#1: 3} (1 entry: replica index 1, count 3).
        Assert.Equal(
            Hex.Parse("53 43 01 03 36 01 30 02 01 61 03 61 23 31 01 00 02 00 01 01 78 01 00 02 01 01 01 03"),
            CrdtSerializer.SerializeToBytes(map));
        Assert.Equal(
            "{\"entries\":[{\"key\":\"x\",\"updates\":[{\"replica\":\"a\",\"counter\":2,\"incarnation\":1,\"value\":{\"a#1\":3}}]}],\"context\":{\"vector\":{\"a\":2},\"cloud\":[]}}",
            CodecAssert.JsonRoundTrips(map));
        Assert.Equal(CrdtTypeTags.ORMap, CrdtCodecs.For<ORMap<string, GCounter>>().TypeTag);
        EqualityAssert.Equal(map, CrdtSerializer.Deserialize(CrdtSerializer.SerializeToBytes(map, CrdtCodecs.ORMap(CrdtCodecs.String, CrdtCodecs.GCounter)), CrdtCodecs.ORMap(CrdtCodecs.String, CrdtCodecs.GCounter)));
    }

    public static TheoryData<string, string> HostileMaps => new()
    {
        // incarnation 2 below counter 2 (incarnation 0).
        { "53 43 01 03 36 01 30 02 01 61 03 61 23 31 01 00 02 00 01 01 78 01 00 02 02 01 01 03", "between 1 and the counter" },
        // dot a:3, outside the context {a:2}.
        { "53 43 01 03 36 01 30 02 01 61 03 61 23 31 01 00 02 00 01 01 78 01 00 03 01 01 01 03", "does not contain" },
        // a key with no updates.
        { "53 43 01 03 36 01 30 02 01 61 03 61 23 31 01 00 02 00 01 01 78 00 00 00 00 00 00 00", "no updates" },
        // key count near int.MaxValue.
        { "53 43 01 03 36 01 30 02 01 61 03 61 23 31 01 00 02 00 fe ff ff ff 07 01 78", "MaxElements" },
        // two keys "x", "x".
        { "53 43 01 03 36 01 30 02 01 61 03 61 23 31 01 00 02 00 02 01 78 01 00 01 00 00 01 78 01 00 02 00 00", "strictly ascending order" },
        // two keys kept alive by one dot.
        { "53 43 01 03 36 01 30 02 01 61 03 61 23 31 01 00 02 00 02 01 78 01 00 02 00 00 01 79 01 00 02 00 00", "keeps two map keys alive" },
        // truncated nested value.
        { "53 43 01 03 36 01 30 02 01 61 03 61 23 31 01 00 02 00 01 01 78 01 00 02 01 01 01", "bytes remain" },
    };

    [Theory]
    [MemberData(nameof(HostileMaps))]
    public void HostileInput_ThrowsFormatException(string hex, string reason)
    {
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<ORMap<string, GCounter>>(Hex.Parse(hex)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"entries\":[{\"key\":\"x\",\"updates\":[{\"replica\":\"a\",\"counter\":2,\"incarnation\":3,\"value\":{}}]}],\"context\":{\"vector\":{\"a\":2},\"cloud\":[]}}", "exceeds its counter")]
    [InlineData("{\"entries\":[{\"key\":\"x\",\"updates\":[{\"replica\":\"a\",\"counter\":3,\"incarnation\":1,\"value\":{}}]}],\"context\":{\"vector\":{\"a\":2},\"cloud\":[]}}", "not in the context")]
    [InlineData("{\"entries\":[{\"key\":\"x\",\"updates\":[]}],\"context\":{\"vector\":{},\"cloud\":[]}}", "at least one update")]
    [InlineData("{\"entries\":[{\"key\":\"x\",\"updates\":[{\"replica\":\"a\",\"counter\":1,\"incarnation\":1,\"value\":{}}]},{\"key\":\"x\",\"updates\":[{\"replica\":\"a\",\"counter\":2,\"incarnation\":2,\"value\":{}}]}],\"context\":{\"vector\":{\"a\":2},\"cloud\":[]}}", "appears twice")]
    [InlineData("{\"entries\":[{\"key\":\"x\",\"updates\":[{\"replica\":\"a\",\"counter\":1,\"incarnation\":1}]}]}", "value")]
    [InlineData("{\"entries\":[],\"extra\":1}", "Unknown property")]
    public void Json_HostileInput_ThrowsJsonException(string json, string reason)
    {
        JsonException ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<ORMap<string, GCounter>>(json, CodecAssert.Json));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}
