namespace Sync.Crdt.Encoding.Codecs;

/// <summary>UInt32: varint.</summary>
internal sealed class UInt32Codec : ScalarCodec<uint>
{
    public static readonly UInt32Codec Instance = new();

    private UInt32Codec()
        : base(CrdtTypeTags.UInt32)
    {
    }

    public override void Encode(CrdtWriter writer, uint value) => writer.WriteVarUInt64(value);

    public override uint Decode(ref CrdtReader reader) => (uint)reader.ReadVarUInt64(uint.MaxValue, "A UInt32");
}
