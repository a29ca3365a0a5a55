using System;
using System.Collections.Generic;

namespace Sync.Crdt.Text.Internal;

/// <summary>
/// Received items and delete ranges that wait for ids not yet integrated, indexed by the one missing id each waits for:
/// per client, a min-heap keyed by the clock that must be integrated first. When a client's clocks advance, only the
/// entries waiting for that client's integrated clocks come out, so the work per update is bounded by what the update
/// itself unblocks (O(log p) per entry), never a re-scan of the whole queue. Exact duplicates are kept once.
/// </summary>
internal sealed class PendingQueue
{
    private readonly HashSet<(int Client, int Clock, int Length, bool Deleted)> _itemKeys = new();
    private readonly HashSet<(int Client, int Clock, int Length)> _deleteKeys = new();
    private PriorityQueue<RemoteItem, int>?[] _items = [];
    private PriorityQueue<DeleteRange, int>?[] _deletes = [];

    /// <summary>Gets the number of waiting items.</summary>
    public int ItemCount => _itemKeys.Count;

    /// <summary>Gets the number of waiting delete ranges.</summary>
    public int DeleteCount => _deleteKeys.Count;

    /// <summary>Gets the number of waiting items and delete ranges.</summary>
    public int Count => _itemKeys.Count + _deleteKeys.Count;

    /// <summary>Parks an item until clock <paramref name="waitClock"/> of <paramref name="waitClient"/> is integrated; an exact
    /// duplicate of a waiting item is dropped.</summary>
    public void ParkItem(in RemoteItem item, int waitClient, int waitClock)
    {
        if (!_itemKeys.Add((item.Client, item.Clock, item.Length, item.Content is null)))
        {
            return;
        }

        Heap(ref _items, waitClient).Enqueue(item, waitClock);
    }

    /// <summary>Takes an item that waits for a clock of <paramref name="client"/> below <paramref name="next"/> (now integrated).</summary>
    public bool TryTakeItem(int client, int next, out RemoteItem item)
    {
        PriorityQueue<RemoteItem, int>? heap = client < _items.Length ? _items[client] : null;
        if (heap is not null && heap.TryPeek(out _, out int clock) && clock < next)
        {
            item = heap.Dequeue();
            _itemKeys.Remove((item.Client, item.Clock, item.Length, item.Content is null));
            return true;
        }

        item = default;
        return false;
    }

    /// <summary>Parks a delete range until its first clock is integrated; an exact duplicate of a waiting range is dropped.</summary>
    public void ParkDelete(DeleteRange range)
    {
        if (!_deleteKeys.Add((range.Client, range.Clock, range.Length)))
        {
            return;
        }

        Heap(ref _deletes, range.Client).Enqueue(range, range.Clock);
    }

    /// <summary>Takes a delete range of <paramref name="client"/> whose first clock is below <paramref name="next"/>.</summary>
    public bool TryTakeDelete(int client, int next, out DeleteRange range)
    {
        PriorityQueue<DeleteRange, int>? heap = client < _deletes.Length ? _deletes[client] : null;
        if (heap is not null && heap.TryPeek(out _, out int clock) && clock < next)
        {
            range = heap.Dequeue();
            _deleteKeys.Remove((range.Client, range.Clock, range.Length));
            return true;
        }

        range = default;
        return false;
    }

    private static PriorityQueue<T, int> Heap<T>(ref PriorityQueue<T, int>?[] heaps, int client)
    {
        if (client >= heaps.Length)
        {
            Array.Resize(ref heaps, Math.Max(client + 1, heaps.Length * 2));
        }

        return heaps[client] ??= new PriorityQueue<T, int>();
    }
}
