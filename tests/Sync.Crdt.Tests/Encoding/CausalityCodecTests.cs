using System;
using System.Linq;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Encoding;

public class CausalityCodecTests
{
    [Fact]
    public void VersionVector_RandomValues_RoundTripDeterministically() =>
        PropertyCheck.ForAll(EncodingGenerators.Vector, vector => CodecAssert.BinaryRoundTrips(vector));

    [Fact]
    public void CausalContext_RandomValues_RoundTripDeterministically() =>
        PropertyCheck.ForAll(EncodingGenerators.Context, context => CodecAssert.BinaryRoundTrips(context));

    [Fact]
    public void DotAndTimestamp_RandomValues_RoundTrip() =>
        PropertyCheck.ForAll(Gen.Zip(EncodingGenerators.Dot, EncodingGenerators.Timestamp), pair =>
        {
            CodecAssert.BinaryRoundTrips(pair.Item1);
            CodecAssert.BinaryRoundTrips(pair.Item2);
            CodecAssert.BinaryRoundTrips(pair.Item1.Replica);
        });

    [Fact]
    public void VersionVector_EqualValuesBuiltDifferently_EncodeIdentically()
    {
        VersionVector one = VersionVector.Empty.Increment("b").Increment("a").Increment("b");
        VersionVector two = VersionVector.Create(new Dot("a", 1), new Dot("b", 2));
        Assert.Equal(CrdtSerializer.SerializeToBytes(one), CrdtSerializer.SerializeToBytes(two));
    }

    [Fact]
    public void VersionVector_KnownValue_HasDocumentedLayout()
    {
        VersionVector vector = VersionVector.Create(new Dot("a", 3), new Dot("b", 300));

        // magic "SC", version 1, signature [34], 2 replicas "a" "b", 2 entries (0,3) (1,300).
        Assert.Equal(
            Hex.Parse("53 43 01 01 22 02 01 61 01 62 02 00 03 01 ac 02"),
            CrdtSerializer.SerializeToBytes(vector));
    }

    [Fact]
    public void CausalContext_KnownValue_HasDocumentedLayout()
    {
        CausalContext context = CausalContext.Create(VersionVector.Create(new Dot("a", 2)), [new Dot("a", 5), new Dot("b", 3)]);

        // signature [35]; table a, b; vector 1 entry (0,2); cloud 2 dots (0,5) (1,3).
        Assert.Equal(
            Hex.Parse("53 43 01 01 23 02 01 61 01 62 01 00 02 02 00 05 01 03"),
            CrdtSerializer.SerializeToBytes(context));
    }

    [Theory]
    [InlineData("53 43 01 01 22 02 01 62 01 61 02 00 03 01 01", "strictly ascending replica order")]
    [InlineData("53 43 01 01 22 01 01 61 02 00 03 00 04", "strictly ascending replica order")]
    [InlineData("53 43 01 01 22 01 01 61 01 00 00", "between 1 and")]
    [InlineData("53 43 01 01 22 01 01 61 01 00 80 80 80 80 80 80 80 80 80 01", "between 1 and")]
    [InlineData("53 43 01 01 22 02 01 61 01 62 01 00 03", "never referenced")]
    [InlineData("53 43 01 01 22 01 01 61 01 00 03 00", "unexpected bytes follow")]
    [InlineData("53 43 01 01 22 01 01 61 02 00 03", "declares 2 elements but only 2 bytes remain")]
    public void VersionVector_InvalidBody_Throws(string hex, string reason)
    {
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<VersionVector>(Hex.Parse(hex)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Offset >= 0);
    }

    [Theory]
    [InlineData("53 43 01 01 23 01 01 61 01 00 02 01 00 02", "covered by or contiguous")]
    [InlineData("53 43 01 01 23 01 01 61 01 00 02 01 00 03", "covered by or contiguous")]
    [InlineData("53 43 01 01 23 01 01 61 00 01 00 01", "covered by or contiguous")]
    [InlineData("53 43 01 01 23 01 01 61 00 02 00 05 00 05", "strictly ascending")]
    [InlineData("53 43 01 01 23 01 01 61 00 02 00 07 00 05", "strictly ascending")]
    public void CausalContext_NonCanonicalCloud_Throws(string hex, string reason)
    {
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() => CrdtSerializer.Deserialize<CausalContext>(Hex.Parse(hex)));
        Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CausalContext_ValidGappedCloud_DecodesToEqualContext()
    {
        CausalContext decoded = CrdtSerializer.Deserialize<CausalContext>(Hex.Parse("53 43 01 01 23 01 01 61 01 00 02 01 00 04"));
        Assert.Equal(CausalContext.Create(VersionVector.Create(new Dot("a", 2)), [new Dot("a", 4)]), decoded);
        Assert.True(decoded.Contains(new Dot("a", 4)));
        Assert.False(decoded.Contains(new Dot("a", 3)));
    }

    [Fact]
    public void LWWTimestamp_TimeAboveLongMaxValue_Throws()
    {
        CrdtFormatException ex = Assert.Throws<CrdtFormatException>(() =>
            CrdtSerializer.Deserialize<LWWTimestamp>(Hex.Parse("53 43 01 01 24 01 01 61 80 80 80 80 80 80 80 80 80 01 00")));
        Assert.Contains("out of range", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replicas_ManyDistinct_EachWrittenOnceInTable()
    {
        ReplicaId[] replicas = Enumerable.Range(0, 300).Select(i => new ReplicaId("replica-" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        VersionVector vector = VersionVector.Create(replicas.Select(r => new Dot(r, 1)));
        CausalContext context = CausalContext.Create(vector, replicas.Select(r => new Dot(r, 3)));
        byte[] bytes = CodecAssert.BinaryRoundTrips(context);
        string text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.Equal(text.IndexOf("replica-0123", StringComparison.Ordinal), text.LastIndexOf("replica-0123", StringComparison.Ordinal));
    }
}
