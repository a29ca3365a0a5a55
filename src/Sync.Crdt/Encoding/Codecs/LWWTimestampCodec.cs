using Sync.Crdt.Causality;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>LWWTimestamp: the time (varint, 0 to long.MaxValue), then the replica index.</summary>
internal sealed class LWWTimestampCodec : ScalarCodec<LWWTimestamp>
{
    public static readonly LWWTimestampCodec Instance = new();

    private LWWTimestampCodec()
        : base(CrdtTypeTags.LWWTimestamp)
    {
    }

    public override void Encode(CrdtWriter writer, LWWTimestamp value) => CausalityEncoding.WriteTimestamp(writer, value);

    public override LWWTimestamp Decode(ref CrdtReader reader) => CausalityEncoding.ReadTimestamp(ref reader);
}
