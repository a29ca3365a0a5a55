using System;
using System.Collections.Generic;
using System.Text.Json;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Encoding;

public class CausalityJsonTests
{
    [Fact]
    public void CausalityTypes_RandomValues_RoundTripExactly() =>
        PropertyCheck.ForAll(Gen.Zip(EncodingGenerators.Context, EncodingGenerators.Dot, (c, d) => (c, d)).Zip(EncodingGenerators.Timestamp, (cd, t) => (cd.c, cd.d, t)), t =>
        {
            CodecAssert.JsonRoundTrips(t.Item1);
            CodecAssert.JsonRoundTrips(t.Item1.VersionVector);
            CodecAssert.JsonRoundTrips(t.Item2);
            CodecAssert.JsonRoundTrips(t.Item3);
            CodecAssert.JsonRoundTrips(t.Item2.Replica);
        });

    [Fact]
    public void Shapes_KnownValues_AreReadable()
    {
        CausalContext context = CausalContext.Create(VersionVector.Create(new Dot("b", 1), new Dot("a", 3)), [new Dot("c", 5)]);
        Assert.Equal("{\"vector\":{\"a\":3,\"b\":1},\"cloud\":[{\"replica\":\"c\",\"counter\":5}]}", CodecAssert.JsonRoundTrips(context));
        Assert.Equal("{\"time\":42,\"replica\":\"n1\"}", CodecAssert.JsonRoundTrips(new LWWTimestamp(42, "n1")));
        Assert.Equal("\"n1\"", CodecAssert.JsonRoundTrips(new ReplicaId("n1")));
    }

    [Fact]
    public void ReplicaId_AsDictionaryKey_RoundTrips()
    {
        var map = new Dictionary<ReplicaId, int> { ["x"] = 1, ["y"] = 2 };
        string json = JsonSerializer.Serialize(map, CodecAssert.Json);
        Assert.Equal("{\"x\":1,\"y\":2}", json);
        Assert.Equal(map, JsonSerializer.Deserialize<Dictionary<ReplicaId, int>>(json, CodecAssert.Json));
    }

    [Fact]
    public void VersionVector_EntriesInAnyOrder_ReadCanonically()
    {
        VersionVector vector = JsonSerializer.Deserialize<VersionVector>("{\"b\":1,\"a\":3}", CodecAssert.Json)!;
        Assert.Equal(VersionVector.Create(new Dot("a", 3), new Dot("b", 1)), vector);
    }

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}", typeof(VersionVector), "twice")]
    [InlineData("{\"a\":0}", typeof(VersionVector), "counter")]
    [InlineData("{\"a\":1.5}", typeof(VersionVector), "counter")]
    [InlineData("{\"\":1}", typeof(VersionVector), "replica id")]
    [InlineData("[1]", typeof(VersionVector), "version vector")]
    [InlineData("{\"replica\":\"a\"}", typeof(Dot), "counter")]
    [InlineData("{\"replica\":\"a\",\"counter\":1,\"x\":2}", typeof(Dot), "Unknown property")]
    [InlineData("{\"replica\":\"a\",\"counter\":1,\"counter\":2}", typeof(Dot), "twice")]
    [InlineData("{\"time\":-1,\"replica\":\"a\"}", typeof(LWWTimestamp), "time")]
    [InlineData("{\"vector\":{\"a\":2},\"cloud\":[{\"replica\":\"a\",\"counter\":2}]}", typeof(CausalContext), "covered")]
    [InlineData("{\"vector\":{\"a\":2},\"cloud\":[{\"replica\":\"a\",\"counter\":3}]}", typeof(CausalContext), "contiguous")]
    [InlineData("{\"vector\":{},\"cloud\":[{\"replica\":\"a\",\"counter\":5},{\"replica\":\"a\",\"counter\":5}]}", typeof(CausalContext), "twice")]
    public void Read_InvalidJson_ThrowsJsonException(string json, Type type, string reason)
    {
        JsonException ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, type, CodecAssert.Json));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}
