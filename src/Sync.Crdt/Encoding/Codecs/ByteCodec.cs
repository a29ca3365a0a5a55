namespace Sync.Crdt.Encoding.Codecs;

/// <summary>byte: varint.</summary>
internal sealed class ByteCodec : ScalarCodec<byte>
{
    public static readonly ByteCodec Instance = new();

    private ByteCodec()
        : base(CrdtTypeTags.Byte)
    {
    }

    public override void Encode(CrdtWriter writer, byte value) => writer.WriteVarUInt64(value);

    public override byte Decode(ref CrdtReader reader) => (byte)reader.ReadVarUInt64(byte.MaxValue, "A byte");
}
