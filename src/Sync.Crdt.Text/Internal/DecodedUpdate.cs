using Sync.Crdt.Causality;

namespace Sync.Crdt.Text.Internal;

/// <summary>A fully validated update: its replica table, items grouped by replica in clock order, and deleted ranges.</summary>
internal sealed class DecodedUpdate
{
    public DecodedUpdate(ReplicaId[] replicas, RemoteItem[] items, DeleteRange[] deletes)
    {
        Replicas = replicas;
        Items = items;
        Deletes = deletes;
    }

    public ReplicaId[] Replicas { get; }

    public RemoteItem[] Items { get; }

    public DeleteRange[] Deletes { get; }
}
