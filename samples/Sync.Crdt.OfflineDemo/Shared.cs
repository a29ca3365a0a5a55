using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Sets;

namespace Sync.Crdt.OfflineDemo;

/// <summary>What every replica of the demo agrees on: the keys and the value formats.</summary>
internal static class Shared
{
    public static readonly ReplicatedKey<ORSet<string>> Cart = new("cart");
    public static readonly ReplicatedKey<GCounter> Edits = new("edits");

    public static ReplicationSerializer Serializer { get; } = new(
    [
        ReplicatedValueFormat.Create(CrdtCodecs.ORSet(CrdtCodecs.String)),
        ReplicatedValueFormat.Create(CrdtCodecs.GCounter),
    ]);
}
