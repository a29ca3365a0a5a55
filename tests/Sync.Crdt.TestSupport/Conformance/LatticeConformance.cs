using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sync.Crdt.Encoding;
using Sync.Crdt.Encoding.Json;
using Sync.Crdt.Testing;
using Xunit;

namespace Sync.Crdt.TestSupport.Conformance;

/// <summary>
/// The conformance suite of a join-semilattice (a type with a merge, such as <c>VersionVector</c>): the join laws
/// with identity and the same-instance rules, equality and hashing, binary and JSON round trips and a golden sample,
/// each a fact run through <see cref="CrdtCheck{T}"/> (one implementation of the laws: Sync.Crdt.Testing). A subclass
/// supplies the check's value source (<see cref="CreateCheck"/>), the codec and the golden sample.
/// </summary>
/// <typeparam name="T">The checked type.</typeparam>
public abstract class LatticeConformance<T>
    where T : class, IMergeable<T>, IEquatable<T>
{
    /// <summary>The binary codec.</summary>
    protected abstract ICrdtValueCodec<T> Codec { get; }

    /// <summary>A value whose encoding is pinned by <see cref="GoldenBytes"/>.</summary>
    protected abstract T GoldenValue { get; }

    /// <summary>The pinned encoding of <see cref="GoldenValue"/> (a whole <c>CrdtSerializer</c> message).</summary>
    protected abstract byte[] GoldenBytes { get; }

    /// <summary>JSON options that describe <typeparamref name="T"/>.</summary>
    protected virtual JsonSerializerOptions Json =>
        new JsonSerializerOptions { TypeInfoResolver = new DefaultJsonTypeInfoResolver() }.AddSyncCrdt();

    /// <summary>The configured check, codecs and JSON included (<see cref="Check"/> adds them to <see cref="CreateCheck"/>).</summary>
    protected CrdtCheck<T> Check => CreateCheck().WithBinaryCodec(Codec).WithJson(Json);

    [Fact]
    public void Merge_IsCommutative() => Check.Run(CrdtLaws.Commutative);

    [Fact]
    public void Merge_IsAssociative() => Check.Run(CrdtLaws.Associative);

    [Fact]
    public void Merge_IsIdempotent_AndReturnsTheIncludingInstance() => Check.Run(CrdtLaws.Idempotent);

    [Fact]
    public void Merge_WithEmpty_IsIdentity() => Check.Run(CrdtLaws.Identity);

    [Fact]
    public void Equality_IsStructural_AndAgreesWithHashing() => Check.Run(CrdtLaws.Equality);

    [Fact]
    public void BinaryCodec_RoundTripsToEqualValueAndSameBytes() => Check.Run(CrdtLaws.BinaryCodec);

    [Fact]
    public void Json_RoundTripsToEqualValueAndSameText() => Check.Run(CrdtLaws.JsonCodec);

    [Fact]
    public void GoldenSample_EncodesToThePinnedBytes_AndDecodesBack()
    {
        byte[] actual = CrdtSerializer.SerializeToBytes(GoldenValue, Codec);
        Assert.Equal(Convert.ToHexString(GoldenBytes), Convert.ToHexString(actual));
        T decoded = CrdtSerializer.Deserialize(GoldenBytes, Codec);
        EqualityAssert.Equal(GoldenValue, decoded);
    }

    /// <summary>The check with its empty value and value source (values and/or operations).</summary>
    protected abstract CrdtCheck<T> CreateCheck();
}
