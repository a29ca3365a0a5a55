using Sync.Crdt.Causality;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>LwwTimestamp: the time (varint, 0 to long.MaxValue), then the replica index.</summary>
internal sealed class LwwTimestampCodec : ScalarCodec<LwwTimestamp>
{
    public static readonly LwwTimestampCodec Instance = new();

    private LwwTimestampCodec()
        : base(CrdtTypeTags.LwwTimestamp)
    {
    }

    public override void Write(CrdtWriter writer, LwwTimestamp value) => CausalityEncoding.WriteTimestamp(writer, value);

    public override LwwTimestamp Read(ref CrdtReader reader) => CausalityEncoding.ReadTimestamp(ref reader);
}
