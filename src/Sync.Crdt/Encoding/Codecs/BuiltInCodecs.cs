using System;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>
/// The built-in codecs of the non-generic types (scalars, their nullable forms, causality types and the
/// non-generic CRDTs), found by comparing types: no reflection, so the lookup survives trimming and native AOT.
/// Generic CRDT types bring their codec themselves (<see cref="ICrdt{TSelf}.CreateCodec"/>).
/// </summary>
internal static class BuiltInCodecs
{
    private static readonly NullableCodec<bool> NullableBoolean = new(BooleanCodec.Instance);
    private static readonly NullableCodec<sbyte> NullableSByte = new(SByteCodec.Instance);
    private static readonly NullableCodec<byte> NullableByte = new(ByteCodec.Instance);
    private static readonly NullableCodec<short> NullableInt16 = new(Int16Codec.Instance);
    private static readonly NullableCodec<ushort> NullableUInt16 = new(UInt16Codec.Instance);
    private static readonly NullableCodec<int> NullableInt32 = new(Int32Codec.Instance);
    private static readonly NullableCodec<uint> NullableUInt32 = new(UInt32Codec.Instance);
    private static readonly NullableCodec<long> NullableInt64 = new(Int64Codec.Instance);
    private static readonly NullableCodec<ulong> NullableUInt64 = new(UInt64Codec.Instance);
    private static readonly NullableCodec<Guid> NullableGuid = new(GuidCodec.Instance);
    private static readonly NullableCodec<double> NullableDouble = new(DoubleCodec.Instance);
    private static readonly NullableCodec<DateTimeOffset> NullableDateTimeOffset = new(DateTimeOffsetCodec.Instance);
    private static readonly NullableCodec<ReplicaId> NullableReplicaId = new(ReplicaIdCodec.Instance);
    private static readonly NullableCodec<Dot> NullableDot = new(DotCodec.Instance);
    private static readonly NullableCodec<LWWTimestamp> NullableTimestamp = new(LWWTimestampCodec.Instance);

    /// <summary>Returns the built-in codec of <paramref name="type"/>, or <see langword="null"/> when it has none.</summary>
    public static ICrdtCodec? Find(Type type) =>
        type == typeof(string) ? StringCodec.Instance :
        type == typeof(bool) ? BooleanCodec.Instance :
        type == typeof(sbyte) ? SByteCodec.Instance :
        type == typeof(byte) ? ByteCodec.Instance :
        type == typeof(short) ? Int16Codec.Instance :
        type == typeof(ushort) ? UInt16Codec.Instance :
        type == typeof(int) ? Int32Codec.Instance :
        type == typeof(uint) ? UInt32Codec.Instance :
        type == typeof(long) ? Int64Codec.Instance :
        type == typeof(ulong) ? UInt64Codec.Instance :
        type == typeof(Guid) ? GuidCodec.Instance :
        type == typeof(double) ? DoubleCodec.Instance :
        type == typeof(byte[]) ? ByteArrayCodec.Instance :
        type == typeof(DateTimeOffset) ? DateTimeOffsetCodec.Instance :
        type == typeof(ReplicaId) ? ReplicaIdCodec.Instance :
        type == typeof(Dot) ? DotCodec.Instance :
        type == typeof(VersionVector) ? VersionVectorCodec.Instance :
        type == typeof(CausalContext) ? CausalContextCodec.Instance :
        type == typeof(LWWTimestamp) ? LWWTimestampCodec.Instance :
        type == typeof(GCounter) ? GCounterCodec.Instance :
        type == typeof(PNCounter) ? PNCounterCodec.Instance :
        Nullable.GetUnderlyingType(type) is { } underlying ? FindNullable(underlying) :
        null;

    private static ICrdtCodec? FindNullable(Type underlying) =>
        underlying == typeof(bool) ? NullableBoolean :
        underlying == typeof(sbyte) ? NullableSByte :
        underlying == typeof(byte) ? NullableByte :
        underlying == typeof(short) ? NullableInt16 :
        underlying == typeof(ushort) ? NullableUInt16 :
        underlying == typeof(int) ? NullableInt32 :
        underlying == typeof(uint) ? NullableUInt32 :
        underlying == typeof(long) ? NullableInt64 :
        underlying == typeof(ulong) ? NullableUInt64 :
        underlying == typeof(Guid) ? NullableGuid :
        underlying == typeof(double) ? NullableDouble :
        underlying == typeof(DateTimeOffset) ? NullableDateTimeOffset :
        underlying == typeof(ReplicaId) ? NullableReplicaId :
        underlying == typeof(Dot) ? NullableDot :
        underlying == typeof(LWWTimestamp) ? NullableTimestamp :
        null;
}
