namespace Sync.Crdt.Encoding.Codecs;

/// <summary>sbyte: zigzag varint.</summary>
internal sealed class SByteCodec : ScalarCodec<sbyte>
{
    public static readonly SByteCodec Instance = new();

    private SByteCodec()
        : base(CrdtTypeTags.SByte)
    {
    }

    public override void Encode(CrdtWriter writer, sbyte value) => writer.WriteVarInt64(value);

    public override sbyte Decode(ref CrdtReader reader) => (sbyte)reader.ReadVarInt64(sbyte.MinValue, sbyte.MaxValue, "An sbyte");
}
