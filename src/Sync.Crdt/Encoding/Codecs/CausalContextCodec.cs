using Sync.Crdt.Causality;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>CausalContext: its version vector, then the dot cloud (count, then dots in ascending order).</summary>
internal sealed class CausalContextCodec : ScalarCodec<CausalContext>
{
    public static readonly CausalContextCodec Instance = new();

    private CausalContextCodec()
        : base(CrdtTypeTags.CausalContext)
    {
    }

    public override void Encode(CrdtWriter writer, CausalContext value) => CausalityEncoding.WriteContext(writer, value);

    public override CausalContext Decode(ref CrdtReader reader) => CausalityEncoding.ReadContext(ref reader);
}
