using Sync.Crdt.Causality;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>Dot: replica index, then the counter (varint, at least 1).</summary>
internal sealed class DotCodec : ScalarCodec<Dot>
{
    public static readonly DotCodec Instance = new();

    private DotCodec()
        : base(CrdtTypeTags.Dot)
    {
    }

    public override void Encode(CrdtWriter writer, Dot value)
    {
        writer.WriteReplica(value.Replica);
        writer.WriteVarUInt64((ulong)value.Counter);
    }

    public override Dot Decode(ref CrdtReader reader)
    {
        ReplicaId replica = reader.ReadReplica();
        return new Dot(replica, reader.ReadCounter(), trusted: true);
    }
}
