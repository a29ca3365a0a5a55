namespace Sync.Crdt.Encoding.Codecs;

/// <summary>double: 8 bytes little-endian, canonical NaN.</summary>
internal sealed class DoubleCodec : ScalarCodec<double>
{
    public static readonly DoubleCodec Instance = new();

    private DoubleCodec()
        : base(CrdtTypeTags.Double)
    {
    }

    public override void Encode(CrdtWriter writer, double value) => writer.WriteDouble(value);

    public override double Decode(ref CrdtReader reader) => reader.ReadDouble();
}
