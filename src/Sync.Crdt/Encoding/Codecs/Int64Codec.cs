namespace Sync.Crdt.Encoding.Codecs;

/// <summary>Int64: zigzag varint.</summary>
internal sealed class Int64Codec : ScalarCodec<long>
{
    public static readonly Int64Codec Instance = new();

    private Int64Codec()
        : base(CrdtTypeTags.Int64)
    {
    }

    public override void Encode(CrdtWriter writer, long value) => writer.WriteVarInt64(value);

    public override long Decode(ref CrdtReader reader) => reader.ReadVarInt64();
}
