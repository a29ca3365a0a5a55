using System;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>string: varint UTF-8 byte length, then the bytes. Null strings are rejected.</summary>
internal sealed class StringCodec : ScalarCodec<string>
{
    public static readonly StringCodec Instance = new();

    private StringCodec()
        : base(CrdtTypeTags.String)
    {
    }

    public override void Encode(CrdtWriter writer, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteString(value);
    }

    public override string Decode(ref CrdtReader reader) => reader.ReadString();
}
