namespace Sync.Crdt.Encoding.Codecs;

/// <summary>Int16: zigzag varint.</summary>
internal sealed class Int16Codec : ScalarCodec<short>
{
    public static readonly Int16Codec Instance = new();

    private Int16Codec()
        : base(CrdtTypeTags.Int16)
    {
    }

    public override void Encode(CrdtWriter writer, short value) => writer.WriteVarInt64(value);

    public override short Decode(ref CrdtReader reader) => (short)reader.ReadVarInt64(short.MinValue, short.MaxValue, "An Int16");
}
