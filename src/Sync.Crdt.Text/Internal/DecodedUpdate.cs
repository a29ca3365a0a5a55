using System.Buffers;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Text.Internal;

/// <summary>A fully validated update: its replica table, items grouped by replica in clock order, and deleted ranges.</summary>
internal sealed class DecodedUpdate
{
    public DecodedUpdate(ReplicaId[] replicas, RemoteItem[] items, int itemCount, DeleteRange[] deletes)
    {
        Replicas = replicas;
        Items = items;
        ItemCount = itemCount;
        Deletes = deletes;
    }

    public ReplicaId[] Replicas { get; }

    /// <summary>Gets the items (the first <see cref="ItemCount"/> entries of a pooled array).</summary>
    public RemoteItem[] Items { get; private set; }

    public int ItemCount { get; }

    public DeleteRange[] Deletes { get; }

    public static void ReturnToPool(RemoteItem[] items)
    {
        if (items.Length > 0)
        {
            ArrayPool<RemoteItem>.Shared.Return(items, clearArray: true);
        }
    }

    /// <summary>Returns the pooled item array; the update must not be used afterwards.</summary>
    public void Release()
    {
        ReturnToPool(Items);
        Items = [];
    }
}
