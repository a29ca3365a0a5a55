using System;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>Guid: 16 bytes, big-endian (RFC 9562) order.</summary>
internal sealed class GuidCodec : ScalarCodec<Guid>
{
    public static readonly GuidCodec Instance = new();

    private GuidCodec()
        : base(CrdtTypeTags.Guid)
    {
    }

    public override void Encode(CrdtWriter writer, Guid value) => writer.WriteGuid(value);

    public override Guid Decode(ref CrdtReader reader) => reader.ReadGuid();
}
