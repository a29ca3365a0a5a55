using Sync.Crdt.Causality;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>ReplicaId: a varint index into the message's replica table.</summary>
internal sealed class ReplicaIdCodec : ScalarCodec<ReplicaId>
{
    public static readonly ReplicaIdCodec Instance = new();

    private ReplicaIdCodec()
        : base(CrdtTypeTags.ReplicaId)
    {
    }

    public override void Encode(CrdtWriter writer, ReplicaId value) => writer.WriteReplica(value);

    public override ReplicaId Decode(ref CrdtReader reader) => reader.ReadReplica();
}
