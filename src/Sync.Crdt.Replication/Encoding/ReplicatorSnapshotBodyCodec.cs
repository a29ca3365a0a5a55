using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Replication.Encoding;

/// <summary>The body of a replicator snapshot inside a Sync.Crdt binary message (type tag <see cref="ReplicationSerializer.SnapshotTypeTag"/>).</summary>
internal sealed class ReplicatorSnapshotBodyCodec(ValueFormatTable formats) : ICrdtValueCodec<ReplicatorSnapshot>
{
    public int TypeTag => ReplicationSerializer.SnapshotTypeTag;

    public IReadOnlyList<ICrdtCodec> TypeArguments => [];

    public void Encode(CrdtWriter writer, ReplicatorSnapshot value)
    {
        writer.WriteReplica(value.Replica);
        writer.Write(value.Vector, CrdtCodecs.VersionVector);
        formats.Write(writer, value.Values);
    }

    public ReplicatorSnapshot Decode(ref CrdtReader reader)
    {
        ReplicaId replica = reader.ReadReplica();
        VersionVector vector = reader.Read(CrdtCodecs.VersionVector);
        return new ReplicatorSnapshot(replica, vector, formats.Read(ref reader));
    }
}
