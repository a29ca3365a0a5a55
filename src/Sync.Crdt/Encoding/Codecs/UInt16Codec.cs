namespace Sync.Crdt.Encoding.Codecs;

/// <summary>UInt16: varint.</summary>
internal sealed class UInt16Codec : ScalarCodec<ushort>
{
    public static readonly UInt16Codec Instance = new();

    private UInt16Codec()
        : base(CrdtTypeTags.UInt16)
    {
    }

    public override void Encode(CrdtWriter writer, ushort value) => writer.WriteVarUInt64(value);

    public override ushort Decode(ref CrdtReader reader) => (ushort)reader.ReadVarUInt64(ushort.MaxValue, "A UInt16");
}
