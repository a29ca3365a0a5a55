using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Text.Internal;

/// <summary>
/// Integrates decoded updates into an <see cref="ItemStore"/>: the YATA placement of each received item (Yjs's
/// <c>Item.integrate</c>), the deletes an update carries (its delete set and its deleted items, which delete clocks the
/// receiver already has), and the <see cref="PendingQueue"/> for items and deletes whose dependencies have not arrived.
/// </summary>
/// <remarks>
/// An item needs its client's previous clock and the ids its origins name. The part of an item the store already has is
/// skipped, except that a deleted item still deletes it. Entries that must wait are parked on the one id they miss and
/// retried only when that id's client advances. Not thread-safe.
/// </remarks>
internal sealed class Integrator
{
    private readonly ItemStore _store;
    private readonly PendingQueue _pending = new();
    private readonly Stack<int> _advanced = new();
    private readonly HashSet<int> _conflicting = new();
    private readonly HashSet<int> _beforeOrigin = new();

    public Integrator(ItemStore store)
    {
        _store = store;
    }

    /// <summary>Gets the items and delete ranges waiting for their dependencies.</summary>
    public PendingQueue Pending => _pending;

    /// <summary>Gets how many times an item was offered for integration (received or taken from the queue): the work counter
    /// that tests use to show the pending queue is not re-scanned.</summary>
    public long Offers { get; private set; }

    /// <summary>Applies a validated update: maps its replicas to clients, integrates its items, applies its delete set, and
    /// retries exactly the waiting entries that the newly integrated clocks unblock.</summary>
    public void Apply(DecodedUpdate update)
    {
        ReplicaId[] replicas = update.Replicas;
        Span<int> map = replicas.Length <= 64 ? stackalloc int[replicas.Length] : new int[replicas.Length];
        for (int i = 0; i < map.Length; i++)
        {
            map[i] = _store.ClientNumber(replicas[i]);
        }

        Span<RemoteItem> items = update.Items.AsSpan(0, update.ItemCount);
        int chars = 0;
        for (int i = 0; i < items.Length; i++)
        {
            ref RemoteItem item = ref items[i];
            item.Client = map[item.Client];
            item.OriginLeftClient = item.OriginLeftClient < 0 ? -1 : map[item.OriginLeftClient];
            item.OriginRightClient = item.OriginRightClient < 0 ? -1 : map[item.OriginRightClient];
            chars += item.Content is null ? 0 : item.Length;
        }

        if (items.Length > 16)
        {
            _store.Reserve(items.Length, chars);
        }

        for (int i = 0; i < items.Length; i++)
        {
            Offer(items[i]);
        }

        foreach (DeleteRange range in update.Deletes)
        {
            OfferDelete(new DeleteRange { Client = map[range.Client], Clock = range.Clock, Length = range.Length });
        }

        WakeUp();
    }

    /// <summary>Integrates an item now if it can be, otherwise parks it on the first id it misses.</summary>
    private void Offer(RemoteItem item)
    {
        Offers++;
        int next = _store.Client(item.Client).Next;
        if (item.Clock < next)
        {
            // The store has a prefix (or all) of the item: skip it; a deleted item still deletes it.
            int present = Math.Min(item.Clock + item.Length, next);
            if (item.Content is null)
            {
                _store.DeleteClocks(item.Client, item.Clock, present);
            }

            if (present == item.Clock + item.Length)
            {
                return;
            }

            int skip = next - item.Clock;
            item.Clock = next;
            item.Length -= skip;
            item.ContentStart += skip;
            item.OriginLeftClient = item.Client;
            item.OriginLeftClock = next - 1;
        }

        if (item.Clock > next)
        {
            _pending.ParkItem(item, item.Client, item.Clock - 1);
        }
        else if (!_store.IsIntegrated(item.OriginLeftClient, item.OriginLeftClock))
        {
            _pending.ParkItem(item, item.OriginLeftClient, item.OriginLeftClock);
        }
        else if (!_store.IsIntegrated(item.OriginRightClient, item.OriginRightClock))
        {
            _pending.ParkItem(item, item.OriginRightClient, item.OriginRightClock);
        }
        else
        {
            Integrate(in item);
            if (_advanced.Count == 0 || _advanced.Peek() != item.Client)
            {
                // Items arrive grouped by client: one entry per run of them keeps the stack small (a load pushes once).
                _advanced.Push(item.Client);
            }
        }
    }

    /// <summary>Deletes the integrated part of a range and parks the rest until its first clock is integrated.</summary>
    private void OfferDelete(DeleteRange range)
    {
        int next = _store.Client(range.Client).Next;
        int end = range.End;
        if (range.Clock < next)
        {
            _store.DeleteClocks(range.Client, range.Clock, Math.Min(end, next));
        }

        if (end > next)
        {
            int from = Math.Max(range.Clock, next);
            _pending.ParkDelete(new DeleteRange { Client = range.Client, Clock = from, Length = end - from });
        }
    }

    /// <summary>Retries the entries waiting for clocks that became integrated, until nothing more advances.</summary>
    private void WakeUp()
    {
        while (_advanced.TryPop(out int client))
        {
            ClientLog log = _store.Client(client);
            while (_pending.TryTakeItem(client, log.Next, out RemoteItem item))
            {
                Offer(item);
            }

            while (_pending.TryTakeDelete(client, log.Next, out DeleteRange range))
            {
                OfferDelete(range);
            }
        }
    }

    /// <summary>The YATA integration of one item whose dependencies are integrated (Yjs's <c>Item.integrate</c>).</summary>
    private void Integrate(in RemoteItem remote)
    {
        int left = -1;
        if (remote.OriginLeftClient >= 0)
        {
            left = _store.FindItem(remote.OriginLeftClient, remote.OriginLeftClock);
            int offset = remote.OriginLeftClock - _store[left].Clock;
            if (offset < _store[left].Length - 1)
            {
                _store.SplitItem(left, offset + 1);
            }
        }

        int right = -1;
        if (remote.OriginRightClient >= 0)
        {
            right = _store.FindItem(remote.OriginRightClient, remote.OriginRightClock);
            int offset = remote.OriginRightClock - _store[right].Clock;
            if (offset > 0)
            {
                right = _store.SplitItem(right, offset);
            }
        }

        int o = left >= 0 ? _store[left].Right : _store.Head;
        if (o != right)
        {
            left = ResolveConflicts(in remote, left, right, o);
        }

        bool deleted = remote.Content is null;
        ReadOnlySpan<char> content = deleted ? default : remote.Content.AsSpan(remote.ContentStart, remote.Length);
        var origins = new ItemOrigins(remote.OriginLeftClient, remote.OriginLeftClock, remote.OriginRightClient, remote.OriginRightClock);
        _store.Add(left, remote.Client, remote.Clock, remote.Length, content, deleted, origins);
    }

    /// <summary>
    /// Scans the items between the origins and returns the item the new one goes after. Rules (YATA, as in Yjs): an item
    /// with the same origin-left is a concurrent insert at the same place: the lower replica id goes first, and an equal
    /// origin-right ends the scan; an item whose origin-left lies inside the scanned region belongs to a run that was typed
    /// after one of the scanned items, and the new item goes after it unless that origin is among the items already
    /// passed over since the last decision; anything else ends the scan.
    /// </summary>
    private int ResolveConflicts(in RemoteItem remote, int left, int right, int o)
    {
        HashSet<int> conflicting = _conflicting;
        HashSet<int> beforeOrigin = _beforeOrigin;
        conflicting.Clear();
        beforeOrigin.Clear();
        ReplicaId replica = _store.Client(remote.Client).Replica;
        while (o >= 0 && o != right)
        {
            beforeOrigin.Add(o);
            conflicting.Add(o);
            ref ItemRecord other = ref _store[o];
            if (other.OriginLeftClient == remote.OriginLeftClient && (other.OriginLeftClient < 0 || other.OriginLeftClock == remote.OriginLeftClock))
            {
                if (_store.Client(other.Client).Replica.CompareTo(replica) < 0)
                {
                    left = o;
                    conflicting.Clear();
                }
                else if (other.OriginRightClient == remote.OriginRightClient && (other.OriginRightClient < 0 || other.OriginRightClock == remote.OriginRightClock))
                {
                    break;
                }
            }
            else if (other.OriginLeftClient >= 0)
            {
                int originItem = _store.FindItem(other.OriginLeftClient, other.OriginLeftClock);
                if (!beforeOrigin.Contains(originItem))
                {
                    break;
                }

                if (!conflicting.Contains(originItem))
                {
                    left = o;
                    conflicting.Clear();
                }
            }
            else
            {
                break;
            }

            o = _store[o].Right;
        }

        return left;
    }
}
