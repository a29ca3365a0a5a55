using System;
using System.Text.Json;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Registers;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Encoding;

public class CounterAndRegisterCodecTests
{
    [Fact]
    public void Counters_RandomStates_RoundTripInBinaryAndJson()
    {
        PropertyCheck.ForAll(CrdtGenerators.GCounter, counter =>
        {
            CodecAssert.BinaryRoundTrips(counter);
            CodecAssert.JsonRoundTrips(counter);
        });
        PropertyCheck.ForAll(CrdtGenerators.PNCounter, counter =>
        {
            CodecAssert.BinaryRoundTrips(counter);
            CodecAssert.JsonRoundTrips(counter);
        });
    }

    [Fact]
    public void Registers_RandomStates_RoundTripInBinaryAndJson()
    {
        PropertyCheck.ForAll(CrdtGenerators.LWWRegister, register =>
        {
            CodecAssert.BinaryRoundTrips(register);
            CodecAssert.JsonRoundTrips(register);
        });
        PropertyCheck.ForAll(CrdtGenerators.MVRegister, register =>
        {
            CodecAssert.BinaryRoundTrips(register);
            CodecAssert.JsonRoundTrips(register);
        });
    }

    [Fact]
    public void Deltas_OfEachMutator_RoundTrip()
    {
        GCounter.Empty.Increment("a", 5, out GCounter gDelta);
        PNCounter.Empty.Decrement("b", 2, out PNCounter pnDelta);
        LWWRegister<string>.Empty.Set(new LWWTimestamp(9, "a"), "v", out LWWRegister<string> lwwDelta);
        MVRegister<int> mv = MVRegister<int>.Empty.Set("a", 1).Merge(MVRegister<int>.Empty.Set("b", 2));
        mv.Set("c", 3, out MVRegister<int> mvDelta);
        mv.Clear(out MVRegister<int> clearDelta);
        CodecAssert.BinaryRoundTrips(gDelta);
        CodecAssert.BinaryRoundTrips(pnDelta);
        CodecAssert.BinaryRoundTrips(lwwDelta);
        CodecAssert.BinaryRoundTrips(mvDelta);
        CodecAssert.BinaryRoundTrips(clearDelta);
        CodecAssert.JsonRoundTrips(mvDelta);
        CodecAssert.JsonRoundTrips(clearDelta);
    }

    [Fact]
    public void GCounter_KnownValue_IsVersionVectorBody()
    {
        GCounter counter = GCounter.Empty.Increment("a", 3).Increment("b", 300);
        Assert.Equal(Hex.Parse("53 43 01 01 30 02 01 61 01 62 02 00 03 01 ac 02"), CrdtSerializer.SerializeToBytes(counter));
        Assert.Equal("{\"a\":3,\"b\":300}", CodecAssert.JsonRoundTrips(counter));
    }

    [Fact]
    public void LWWRegister_KnownValue_HasDocumentedLayout()
    {
        LWWRegister<string> register = LWWRegister<string>.Create(new LWWTimestamp(5, "a"), "hi");

        // signature [50, 1]; table "a"; state 1, time 5, replica 0, value "hi".
        Assert.Equal(Hex.Parse("53 43 01 02 32 01 01 01 61 01 05 00 02 68 69"), CrdtSerializer.SerializeToBytes(register));
        Assert.Equal("{\"value\":\"hi\",\"timestamp\":{\"time\":5,\"replica\":\"a\"}}", CodecAssert.JsonRoundTrips(register));
        Assert.Equal(Hex.Parse("53 43 01 02 32 01 00 00"), CrdtSerializer.SerializeToBytes(LWWRegister<string>.Empty));
        Assert.Equal("{}", CodecAssert.JsonRoundTrips(LWWRegister<string>.Empty));
    }

    [Fact]
    public void PNCounter_SharedReplicas_InternedOnce()
    {
        PNCounter counter = PNCounter.Empty.Increment("a", 2).Decrement("a", 1);
        Assert.Equal(Hex.Parse("53 43 01 01 31 01 01 61 01 00 02 01 00 01"), CrdtSerializer.SerializeToBytes(counter));
    }

    [Theory]
    [InlineData("53 43 01 02 32 01 00 03", "state 3 is invalid")]
    [InlineData("53 43 01 02 32 07 00 00", "type signature [50, 7]")]
    [InlineData("53 43 01 02 32 01 01 01 61 01 05 00 02 68", "bytes that remain")]
    public void LWWRegister_InvalidEncoding_Throws(string hex, string reason)
    {
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<LWWRegister<string>>(Hex.Parse(hex)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MVRegister_EntryDotOutsideContext_Throws()
    {
        // context: vector a:1, no cloud; one entry with dot a:2 (not in the context), value 7.
        byte[] message = Hex.Parse("53 43 01 02 33 07 01 01 61 01 00 01 00 01 00 02 0e");
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<MVRegister<int>>(message));
        Assert.Contains("not in the register's causal context", ex.Message, StringComparison.Ordinal);
        Assert.Equal(14, ex.Offset);
    }

    [Fact]
    public void MVRegister_DuplicateOrUnsortedEntries_Throw()
    {
        // context a:3; entries a:2 then a:2 (duplicate), then a:3 then a:2 (unsorted).
        byte[] duplicate = Hex.Parse("53 43 01 02 33 07 01 01 61 01 00 03 00 02 00 02 0e 00 02 10");
        byte[] unsorted = Hex.Parse("53 43 01 02 33 07 01 01 61 01 00 03 00 02 00 03 0e 00 02 10");
        Assert.Contains("strictly ascending", Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<MVRegister<int>>(duplicate)).Message, StringComparison.Ordinal);
        Assert.Contains("strictly ascending", Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<MVRegister<int>>(unsorted)).Message, StringComparison.Ordinal);
        Assert.Equal(2, CrdtSerializer.Deserialize<MVRegister<int>>(Hex.Parse("53 43 01 02 33 07 01 01 61 01 00 03 00 02 00 02 0e 00 03 10")).Count);
    }

    [Fact]
    public void NestedRegisters_RoundTripAndRespectMaxDepth()
    {
        LWWRegister<MVRegister<string>> nested = CrdtGenerators.Nested();
        byte[] bytes = CodecAssert.BinaryRoundTrips(nested);
        CodecAssert.JsonRoundTrips(nested);
        var shallow = new CrdtSerializerOptions { MaxDepth = 2 };
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<LWWRegister<MVRegister<string>>>(bytes, shallow));
        Assert.Contains("MaxDepth (2)", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => CrdtSerializer.SerializeToBytes(nested, shallow));
    }

    [Fact]
    public void Nullable_ValuesAndNull_RoundTrip()
    {
        CodecAssert.BinaryRoundTrips<int?>(null);
        CodecAssert.BinaryRoundTrips<int?>(-5);
        CodecAssert.BinaryRoundTrips(LWWRegister<Guid?>.Create(new LWWTimestamp(1, "a"), null));
        Assert.Equal(Hex.Parse("53 43 01 02 0f 07 00 00"), CrdtSerializer.SerializeToBytes<int?>(null));
    }

    [Fact]
    public void Register_OfTypeWithoutCodec_ThrowsNotSupported()
    {
        Assert.Throws<NotSupportedException>(() => CrdtSerializer.SerializeToBytes(LWWRegister<Uri>.Create(new LWWTimestamp(1, "a"), new Uri("http://x"))));
    }

    [Theory]
    [InlineData("{\"value\":\"x\"}", "timestamp")]
    [InlineData("{\"timestamp\":{\"time\":1,\"replica\":\"a\"}}", "value")]
    [InlineData("{\"value\":\"x\",\"value\":\"y\",\"timestamp\":{\"time\":1,\"replica\":\"a\"}}", "twice")]
    public void LWWRegisterJson_Invalid_ThrowsJsonException(string json, string reason)
    {
        JsonException ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<LWWRegister<string>>(json, CodecAssert.Json));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"values\":[{\"replica\":\"a\",\"counter\":2,\"value\":1}],\"context\":{\"vector\":{\"a\":1},\"cloud\":[]}}", "not in the register's context")]
    [InlineData("{\"values\":[{\"replica\":\"a\",\"counter\":1,\"value\":1},{\"replica\":\"a\",\"counter\":1,\"value\":2}],\"context\":{\"vector\":{\"a\":1},\"cloud\":[]}}", "twice")]
    public void MVRegisterJson_Invalid_ThrowsJsonException(string json, string reason)
    {
        JsonException ex = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<MVRegister<int>>(json, CodecAssert.Json));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }
}
