namespace Sync.Crdt.Encoding.Codecs;

/// <summary>UInt64: varint.</summary>
internal sealed class UInt64Codec : ScalarCodec<ulong>
{
    public static readonly UInt64Codec Instance = new();

    private UInt64Codec()
        : base(CrdtTypeTags.UInt64)
    {
    }

    public override void Encode(CrdtWriter writer, ulong value) => writer.WriteVarUInt64(value);

    public override ulong Decode(ref CrdtReader reader) => reader.ReadVarUInt64();
}
