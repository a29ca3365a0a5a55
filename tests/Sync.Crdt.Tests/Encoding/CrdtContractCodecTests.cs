using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Encoding.Json;
using Sync.Crdt.Maps;
using Sync.Crdt.Registers;
using Sync.Crdt.Sets;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Encoding;

/// <summary>
/// The wire identity every CRDT type declares through <see cref="ICrdt{TSelf}"/>, reached through the constraint only
/// (the reflection-free paths that trimming and native AOT keep): it must produce exactly what the implicit,
/// reflective lookup produces.
/// </summary>
public class CrdtContractCodecTests
{
    private static readonly ReplicaId A = "a";
    private static readonly ReplicaId B = "b";

    [Fact]
    public void EveryType_ConstrainedCodecAndConverter_MatchTheImplicitOnes()
    {
        var clock = new LamportClock();
        Check(GCounter.Empty.Increment(A, 3).Increment(B, 4));
        Check(PNCounter.Empty.Increment(A, 10).Decrement(B, 4));
        Check(LWWRegister<string>.Empty.Set(A, "hello", clock));
        Check(MVRegister<int>.Empty.Set(A, 1).Merge(MVRegister<int>.Empty.Set(B, 2)));
        Check(ORSet<string>.Empty.Add(A, "x").Add(B, "y").Remove("x"));
        Check(LWWMap<string, long>.Empty.Put(A, "k", 1, clock).Put(B, "j", 2, clock).Remove(A, "k", clock));
    }

    [Fact]
    public void CrdtCodecsFor_DefaultOptions_IsCachedPerType()
    {
        Assert.Same(CrdtCodecs.For<ORSet<string>>(), CrdtCodecs.For<ORSet<string>>(CrdtSerializerOptions.Default));
        Assert.NotSame(CrdtCodecs.For<ORSet<string>>(), CrdtCodecs.For<ORSet<string>>(new CrdtSerializerOptions()));
    }

    [Fact]
    public void GetCodec_GenericCrdt_ThrowsWithGuidance_UntilRegistered()
    {
        NotSupportedException missing = Assert.Throws<NotSupportedException>(() => CrdtSerializerOptions.Default.GetCodec<ORSet<string>>());
        Assert.Contains("CrdtCodecs.For<T>()", missing.Message, StringComparison.Ordinal);

        CrdtSerializerOptions options = CrdtSerializerOptions.Default.WithCodec(CrdtCodecs.For<ORSet<string>>());

        Assert.Same(CrdtCodecs.For<ORSet<string>>(), options.GetCodec<ORSet<string>>());
    }

    [Fact]
    public void NestedCrdtElement_ConstrainedPath_NeedsTheElementCodecRegistered()
    {
        LWWRegister<MVRegister<string>> nested = LWWRegister<MVRegister<string>>.Empty.Set(new LWWTimestamp(3, A), MVRegister<string>.Empty.Set(B, "x"));
        Assert.Throws<NotSupportedException>(() => CrdtCodecs.For<LWWRegister<MVRegister<string>>>());

        CrdtSerializerOptions options = CrdtSerializerOptions.Default.WithCodec(CrdtCodecs.For<MVRegister<string>>());
        ICrdtValueCodec<LWWRegister<MVRegister<string>>> codec = CrdtCodecs.For<LWWRegister<MVRegister<string>>>(options);
        byte[] bytes = CrdtSerializer.SerializeToBytes(nested, codec, options);

        Assert.Equal(CrdtSerializer.SerializeToBytes(nested), bytes); // the implicit path composes the same codec
        EqualityAssert.Equal(nested, CrdtSerializer.Deserialize(bytes, codec, options));
    }

    [Fact]
    public void GetCodec_NullableScalars_AreBuiltIn_AndOtherNullablesAreComposedImplicitly()
    {
        Assert.Equal(CrdtSerializer.SerializeToBytes<int?>(7), CrdtSerializer.SerializeToBytes<int?>(7, CrdtSerializerOptions.Default.GetCodec<int?>()));
        Assert.Throws<NotSupportedException>(() => CrdtSerializerOptions.Default.GetCodec<DateTime?>());
        CrdtSerializerOptions options = CrdtSerializerOptions.Default.WithCodec(new TicksCodec());

        byte[] bytes = CrdtSerializer.SerializeToBytes<DateTime?>(new DateTime(5, DateTimeKind.Utc), options);

        Assert.Equal(new DateTime(5, DateTimeKind.Utc), CrdtSerializer.Deserialize<DateTime?>(bytes, options));
    }

    [Fact]
    public void JsonFallback_SourceGeneratedResolver_MatchesTheReflectiveFallback()
    {
        var point = new JsonPoint(-4, 9);
        CrdtSerializerOptions aot = CrdtSerializerOptions.Default.WithJsonFallback(ElementJsonContext.Default);
        CrdtSerializerOptions reflective = CrdtSerializerOptions.Default.WithJsonFallback();

        byte[] bytes = CrdtSerializer.SerializeToBytes(point, aot.GetCodec<JsonPoint>(), aot);

        Assert.True(aot.HasJsonFallback);
        Assert.Equal(CrdtSerializer.SerializeToBytes(point, reflective), bytes);
        Assert.Equal(point, CrdtSerializer.Deserialize(bytes, aot.GetCodec<JsonPoint>(), aot));
        Assert.Throws<ArgumentNullException>(() => CrdtSerializerOptions.Default.WithJsonFallback((System.Text.Json.Serialization.Metadata.IJsonTypeInfoResolver)null!));
    }

    [Fact]
    public void AddSyncCrdtOfT_AfterTheResolver_DescribesTheTypeAtTheEndOfTheChain_AndIsIdempotent()
    {
        var options = new JsonSerializerOptions { TypeInfoResolver = ElementJsonContext.Default };
        options.AddSyncCrdt<ORSet<string>>().AddSyncCrdt<ORSet<string>>();

        Assert.Equal(2, options.TypeInfoResolverChain.Count); // the context, then Sync.Crdt's resolver
        Assert.Single(options.Converters, c => c is JsonConverter<ORSet<string>>);
        Assert.Throws<ArgumentNullException>(() => SyncCrdtJson.AddSyncCrdt<GCounter>(null!));
    }

    private static void Check<T>(T value)
        where T : class, ICrdt<T>
    {
        // The contract's bottom value, through the type parameter.
        Assert.True(T.Empty.IsEmpty);
        Assert.Same(value, value.Merge(T.Empty));
        Assert.Same(T.Empty, T.Empty.Merge(T.Empty));
        Assert.False(value.IsEmpty);

        // Binary: the constrained codec writes the bytes the implicit lookup writes, and reads them back.
        ICrdtValueCodec<T> codec = CrdtCodecs.For<T>();
        byte[] bytes = CrdtSerializer.SerializeToBytes(value, codec);
        Assert.Equal(CrdtSerializer.SerializeToBytes(value), bytes);
        EqualityAssert.Equal(value, CrdtSerializer.Deserialize(bytes, codec));

        // JSON: a source-generated context that knows only the element types, plus AddSyncCrdt<T>, writes what the
        // reflective AddSyncCrdt() writes, and reads it back.
        JsonSerializerOptions aot = new JsonSerializerOptions { TypeInfoResolver = ElementJsonContext.Default }.AddSyncCrdt<T>();
        string json = JsonSerializer.Serialize(value, aot);
        Assert.Equal(JsonSerializer.Serialize(value, CodecAssert.Json), json);
        EqualityAssert.Equal(value, JsonSerializer.Deserialize<T>(json, aot)!);
    }

    /// <summary>DateTime as UTC ticks: an application codec for a value type the library has no codec for.</summary>
    private sealed class TicksCodec : ICrdtValueCodec<DateTime>
    {
        public int TypeTag => CrdtTypeTags.FirstApplicationTag + 7;

        public IReadOnlyList<ICrdtCodec> TypeArguments => [];

        public void Encode(CrdtWriter writer, DateTime value) => writer.WriteVarInt64(value.ToUniversalTime().Ticks);

        public DateTime Decode(ref CrdtReader reader) => new(reader.ReadVarInt64(0, DateTime.MaxValue.Ticks, "Ticks"), DateTimeKind.Utc);
    }
}

/// <summary>A record the JSON fallback encodes.</summary>
public sealed record JsonPoint(int X, int Y);

/// <summary>Source-generated JSON contracts of the element types only: the Sync.Crdt types are not listed.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(JsonPoint))]
internal sealed partial class ElementJsonContext : JsonSerializerContext;
