using System;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>byte[]: varint length, then the bytes (copied out of the input). Null arrays are rejected.</summary>
internal sealed class ByteArrayCodec : ScalarCodec<byte[]>
{
    public static readonly ByteArrayCodec Instance = new();

    private ByteArrayCodec()
        : base(CrdtTypeTags.ByteArray)
    {
    }

    public override void Encode(CrdtWriter writer, byte[] value)
    {
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteLengthPrefixedBytes(value);
    }

    public override byte[] Decode(ref CrdtReader reader) => reader.ReadLengthPrefixedBytes().ToArray();
}
