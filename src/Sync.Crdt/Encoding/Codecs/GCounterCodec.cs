using Sync.Crdt.Counters;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>GCounter: its per-replica counts as a version vector body (count, then replica index and count in replica order).</summary>
internal sealed class GCounterCodec : ScalarCodec<GCounter>
{
    public static readonly GCounterCodec Instance = new();

    private GCounterCodec()
        : base(CrdtTypeTags.GCounter)
    {
    }

    public override void Encode(CrdtWriter writer, GCounter value)
    {
        System.ArgumentNullException.ThrowIfNull(value);
        CausalityEncoding.WriteVector(writer, value.Counts);
    }

    public override GCounter Decode(ref CrdtReader reader) => GCounter.Create(CausalityEncoding.ReadVector(ref reader));
}
