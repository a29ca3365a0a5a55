namespace Sync.Crdt.Encoding.Codecs;

/// <summary>bool: one byte, 0 or 1.</summary>
internal sealed class BooleanCodec : ScalarCodec<bool>
{
    public static readonly BooleanCodec Instance = new();

    private BooleanCodec()
        : base(CrdtTypeTags.Boolean)
    {
    }

    public override void Encode(CrdtWriter writer, bool value) => writer.WriteBoolean(value);

    public override bool Decode(ref CrdtReader reader) => reader.ReadBoolean();
}
