using Sync.Crdt.Counters;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>PNCounter: the increments' counts, then the decrements' counts (two version vector bodies).</summary>
internal sealed class PNCounterCodec : ScalarCodec<PNCounter>
{
    public static readonly PNCounterCodec Instance = new();

    private PNCounterCodec()
        : base(CrdtTypeTags.PNCounter)
    {
    }

    public override void Encode(CrdtWriter writer, PNCounter value)
    {
        System.ArgumentNullException.ThrowIfNull(value);
        CausalityEncoding.WriteVector(writer, value.Increments.Counts);
        CausalityEncoding.WriteVector(writer, value.Decrements.Counts);
    }

    public override PNCounter Decode(ref CrdtReader reader)
    {
        GCounter increments = GCounter.Create(CausalityEncoding.ReadVector(ref reader));
        GCounter decrements = GCounter.Create(CausalityEncoding.ReadVector(ref reader));
        return PNCounter.Create(increments, decrements);
    }
}
