namespace Sync.Crdt.Encoding.Codecs;

/// <summary>Int32: zigzag varint.</summary>
internal sealed class Int32Codec : ScalarCodec<int>
{
    public static readonly Int32Codec Instance = new();

    private Int32Codec()
        : base(CrdtTypeTags.Int32)
    {
    }

    public override void Encode(CrdtWriter writer, int value) => writer.WriteVarInt64(value);

    public override int Decode(ref CrdtReader reader) => (int)reader.ReadVarInt64(int.MinValue, int.MaxValue, "An Int32");
}
