using System;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>Finds the built-in codec for a type, composing generic CRDT codecs from their arguments' codecs.</summary>
internal static class BuiltInCodecs
{
    public static ICrdtValueCodec<T>? Find<T>(CrdtSerializerOptions options)
    {
        _ = options;
        Type type = typeof(T);
        ICrdtCodec? codec =
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
            type == typeof(LwwTimestamp) ? LwwTimestampCodec.Instance :
            null;
        return (ICrdtValueCodec<T>?)codec;
    }
}
