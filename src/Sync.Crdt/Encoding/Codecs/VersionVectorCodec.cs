using Sync.Crdt.Causality;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>VersionVector: entry count, then (replica index, counter) per entry in ascending replica order.</summary>
internal sealed class VersionVectorCodec : ScalarCodec<VersionVector>
{
    public static readonly VersionVectorCodec Instance = new();

    private VersionVectorCodec()
        : base(CrdtTypeTags.VersionVector)
    {
    }

    public override void Encode(CrdtWriter writer, VersionVector value) => CausalityEncoding.WriteVector(writer, value);

    public override VersionVector Decode(ref CrdtReader reader) => CausalityEncoding.ReadVector(ref reader);
}
