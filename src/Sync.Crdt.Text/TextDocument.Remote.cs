using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Text.Internal;

namespace Sync.Crdt.Text;

/// <content>Applying remote updates: validation, the YATA integration, and the pending queue.</content>
public sealed partial class TextDocument
{
    private RemoteItem[] _pendingItems = [];
    private DeleteRange[] _pendingDeletes = [];
    private HashSet<int>? _conflicting;
    private HashSet<int>? _beforeOrigin;

    internal int Version => _version;

    internal int FirstItem => Head;

    internal ItemRecord ItemAt(int item) => _items[item];

    internal ReadOnlyMemory<char> ContentRun(int offset, int length) => new(_content, offset, length);

    /// <summary>Appends the id (replica, clock) of every code unit, deleted ones included, in document order (tests). O(n).</summary>
    internal void CollectIds(List<(ReplicaId Replica, int Clock, bool Deleted)> ids)
    {
        for (int h = Head; h >= 0; h = _items[h].Right)
        {
            ReplicaId replica = _clients[_items[h].Client].Replica;
            for (int i = 0; i < _items[h].Length; i++)
            {
                ids.Add((replica, _items[h].Clock + i, _items[h].Content < 0));
            }
        }
    }

    /// <summary>
    /// Applies an update from any replica of this document (its own included): integrates the items this document lacks,
    /// applies the deletes, and queues whatever depends on updates not yet received (<see cref="HasPendingUpdates"/>); queued
    /// parts are retried on every later call. Applying an update twice, or updates in any order, gives the same text.
    /// </summary>
    /// <param name="update">The update.</param>
    /// <exception cref="CrdtFormatException">The update is not a valid encoding; the document is unchanged.</exception>
    public void ApplyUpdate(TextUpdate update) => ApplyUpdate(update.Span);

    /// <summary>
    /// Applies an encoded update (see <see cref="ApplyUpdate(TextUpdate)"/>). The whole update is decoded and validated before
    /// the document changes: on <see cref="CrdtFormatException"/> nothing was applied. O(update size + integration work).
    /// </summary>
    /// <param name="update">The encoded update.</param>
    /// <exception cref="CrdtFormatException">The update is not a valid encoding; the document is unchanged.</exception>
    public void ApplyUpdate(ReadOnlySpan<byte> update)
    {
        DecodedUpdate decoded = UpdateDecoder.Decode(update);
        var map = new int[decoded.Replicas.Length];
        for (int i = 0; i < map.Length; i++)
        {
            map[i] = ClientNumber(decoded.Replicas[i]);
        }

        Span<RemoteItem> items = decoded.Items.AsSpan(0, decoded.ItemCount);
        int chars = 0;
        for (int i = 0; i < items.Length; i++)
        {
            ref RemoteItem item = ref items[i];
            item.Client = map[item.Client];
            item.OriginLeftClient = item.OriginLeftClient < 0 ? -1 : map[item.OriginLeftClient];
            item.OriginRightClient = item.OriginRightClient < 0 ? -1 : map[item.OriginRightClient];
            chars += item.Content is null ? 0 : item.Length;
        }

        DeleteRange[] deletes = decoded.Deletes;
        for (int i = 0; i < deletes.Length; i++)
        {
            deletes[i].Client = map[deletes[i].Client];
        }

        if (items.Length > 16)
        {
            Reserve(items.Length, chars);
        }

        IntegrateItems(items);
        decoded.Release();
        ApplyDeletes(deletes);
        _version++;
    }

    /// <summary>
    /// Returns a stable position for the place before the code unit at <paramref name="index"/> (between index - 1 and index),
    /// bound to a neighbouring code unit's id so that it follows that code unit through later edits.
    /// O(chunks + 64).
    /// </summary>
    /// <param name="index">0 ≤ index ≤ <see cref="Length"/>.</param>
    /// <param name="bias">Which neighbour to bind to: <see cref="TextPositionBias.After"/> (the code unit at index, or the end)
    /// or <see cref="TextPositionBias.Before"/> (the code unit at index - 1, or the start).</param>
    /// <returns>The position.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public TextPosition GetPosition(int index, TextPositionBias bias = TextPositionBias.After)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, _length);
        if (bias == TextPositionBias.After)
        {
            if (index == _length)
            {
                return TextPosition.End;
            }

            int item = Locate(index, out int offset, out _);
            return new TextPosition(_clients[_items[item].Client].Replica, _items[item].Clock + offset, bias);
        }

        if (index == 0)
        {
            return TextPosition.Start;
        }

        int before = Locate(index - 1, out int beforeOffset, out _);
        return new TextPosition(_clients[_items[before].Client].Replica, _items[before].Clock + beforeOffset, bias);
    }

    /// <summary>
    /// Resolves a stable position to the current index: the index of its bound code unit (bias After) or the index after it
    /// (bias Before); if the code unit was deleted, the index where it was. O(chunks + 64 + log n).
    /// </summary>
    /// <param name="position">A position from <see cref="GetPosition"/> on any replica of this document.</param>
    /// <param name="index">The index, 0 ≤ index ≤ <see cref="Length"/>, when resolved.</param>
    /// <returns><see langword="false"/> when this document has not yet integrated the bound code unit.</returns>
    public bool TryResolvePosition(TextPosition position, out int index)
    {
        if (position.IsTextBoundary)
        {
            index = position.Bias == TextPositionBias.After ? _length : 0;
            return true;
        }

        if (!_clientNumbers.TryGetValue(position.Replica, out int client) || position.Clock >= _clients[client].Next || position.Clock < 0)
        {
            index = -1;
            return false;
        }

        int item = FindItem(client, position.Clock);
        int start = IndexOfItem(item);
        if (_items[item].Content < 0)
        {
            index = start;
        }
        else
        {
            index = start + (position.Clock - _items[item].Clock) + (position.Bias == TextPositionBias.Before ? 1 : 0);
        }

        return true;
    }

    private void IntegrateItems(Span<RemoteItem> incoming)
    {
        Span<RemoteItem> work;
        if (_pendingItems.Length == 0)
        {
            work = incoming;
        }
        else
        {
            work = new RemoteItem[_pendingItems.Length + incoming.Length];
            _pendingItems.CopyTo(work);
            incoming.CopyTo(work[_pendingItems.Length..]);
        }

        if (work.Length == 0)
        {
            return;
        }

        if (!IsSortedByClientAndClock(work))
        {
            work.Sort(static (a, b) => a.Client != b.Client ? a.Client.CompareTo(b.Client) : a.Clock.CompareTo(b.Clock));
        }

        // Segments: one per client, each with a cursor; round-robin until no segment makes progress.
        var segmentStart = new List<int>();
        for (int i = 0; i < work.Length; i++)
        {
            if (i == 0 || work[i].Client != work[i - 1].Client)
            {
                segmentStart.Add(i);
            }
        }

        int segments = segmentStart.Count;
        var cursor = new int[segments];
        var end = new int[segments];
        for (int s = 0; s < segments; s++)
        {
            cursor[s] = segmentStart[s];
            end[s] = s + 1 < segments ? segmentStart[s + 1] : work.Length;
        }

        bool progress = true;
        while (progress)
        {
            progress = false;
            for (int s = 0; s < segments; s++)
            {
                while (cursor[s] < end[s] && TryIntegrate(ref work[cursor[s]]))
                {
                    cursor[s]++;
                    progress = true;
                }
            }
        }

        int left = 0;
        for (int s = 0; s < segments; s++)
        {
            left += end[s] - cursor[s];
        }

        var pending = left == 0 ? [] : new RemoteItem[left];
        int used = 0;
        for (int s = 0; s < segments; s++)
        {
            for (int i = cursor[s]; i < end[s]; i++)
            {
                pending[used++] = work[i];
            }
        }

        _pendingItems = pending;
    }

    private static bool IsSortedByClientAndClock(Span<RemoteItem> items)
    {
        for (int i = 1; i < items.Length; i++)
        {
            if (items[i].Client < items[i - 1].Client || (items[i].Client == items[i - 1].Client && items[i].Clock < items[i - 1].Clock))
            {
                return false;
            }
        }

        return true;
    }

    private bool IsIntegrated(int client, int clock) => client < 0 || clock < _clients[client].Next;

    /// <summary>Integrates one received item if its dependencies are present; returns <see langword="false"/> when it must wait.</summary>
    private bool TryIntegrate(ref RemoteItem item)
    {
        ClientLog log = _clients[item.Client];
        int next = log.Next;
        if (item.Clock + item.Length <= next)
        {
            // Already present: a deleted item still carries its delete (whole states and stale diffs send deletes this way).
            if (item.Content is null)
            {
                DeleteClocks(item.Client, item.Clock, item.Clock + item.Length);
            }

            return true;
        }

        if (item.Clock > next
            || !IsIntegrated(item.OriginLeftClient, item.OriginLeftClock)
            || !IsIntegrated(item.OriginRightClient, item.OriginRightClock))
        {
            return false;
        }

        if (item.Clock < next)
        {
            if (item.Content is null)
            {
                DeleteClocks(item.Client, item.Clock, next);
            }

            int skip = next - item.Clock;
            item.Clock = next;
            item.Length -= skip;
            item.ContentStart += skip;
            item.OriginLeftClient = item.Client;
            item.OriginLeftClock = next - 1;
        }

        Integrate(in item);
        return true;
    }

    /// <summary>The YATA integration of one item whose dependencies are integrated (Yjs's <c>Item.integrate</c>).</summary>
    private void Integrate(in RemoteItem remote)
    {
        int left = -1;
        if (remote.OriginLeftClient >= 0)
        {
            left = FindItem(remote.OriginLeftClient, remote.OriginLeftClock);
            int offset = remote.OriginLeftClock - _items[left].Clock;
            if (offset < _items[left].Length - 1)
            {
                SplitItem(left, offset + 1);
            }
        }

        int right = -1;
        if (remote.OriginRightClient >= 0)
        {
            right = FindItem(remote.OriginRightClient, remote.OriginRightClock);
            int offset = remote.OriginRightClock - _items[right].Clock;
            if (offset > 0)
            {
                right = SplitItem(right, offset);
            }
        }

        int o = left >= 0 ? _items[left].Right : Head;
        if (o != right)
        {
            left = ResolveConflicts(in remote, left, right, o);
        }

        ClientLog log = _clients[remote.Client];
        int visible = remote.Content is null ? 0 : remote.Length;
        int contentOffset = -1;
        if (remote.Content is not null)
        {
            EnsureContentCapacity(remote.Length);
            contentOffset = AppendContent(remote.Content.AsSpan(remote.ContentStart, remote.Length));
        }

        int item = AllocateItem();
        _items[item] = new ItemRecord
        {
            Client = remote.Client,
            Clock = remote.Clock,
            Length = remote.Length,
            Content = contentOffset,
            OriginLeftClient = remote.OriginLeftClient,
            OriginLeftClock = remote.OriginLeftClock,
            OriginRightClient = remote.OriginRightClient,
            OriginRightClock = remote.OriginRightClock,
        };
        AppendToClient(remote.Client, item);
        LinkAfter(item, left);
        log.Next = remote.Clock + remote.Length;
        _length += visible;
        if (left >= 0 && TryMerge(left, item))
        {
            item = left;
        }

        TryMerge(item, _items[item].Right);
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
        HashSet<int> conflicting = _conflicting ??= new HashSet<int>();
        HashSet<int> beforeOrigin = _beforeOrigin ??= new HashSet<int>();
        conflicting.Clear();
        beforeOrigin.Clear();
        ReplicaId replica = _clients[remote.Client].Replica;
        while (o >= 0 && o != right)
        {
            beforeOrigin.Add(o);
            conflicting.Add(o);
            ref ItemRecord other = ref _items[o];
            if (other.OriginLeftClient == remote.OriginLeftClient && (other.OriginLeftClient < 0 || other.OriginLeftClock == remote.OriginLeftClock))
            {
                if (_clients[other.Client].Replica.CompareTo(replica) < 0)
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
                int originItem = FindItem(other.OriginLeftClient, other.OriginLeftClock);
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

            o = _items[o].Right;
        }

        return left;
    }

    private void ApplyDeletes(DeleteRange[] incoming)
    {
        if (incoming.Length == 0 && _pendingDeletes.Length == 0)
        {
            return;
        }

        List<DeleteRange>? waiting = null;
        ApplyDeleteRanges(_pendingDeletes, ref waiting);
        ApplyDeleteRanges(incoming, ref waiting);
        _pendingDeletes = waiting is null ? [] : waiting.ToArray();
    }

    private void ApplyDeleteRanges(DeleteRange[] ranges, ref List<DeleteRange>? waiting)
    {
        foreach (DeleteRange range in ranges)
        {
            int next = _clients[range.Client].Next;
            int end = range.Clock + range.Length;
            if (range.Clock < next)
            {
                DeleteClocks(range.Client, range.Clock, Math.Min(end, next));
            }

            if (end > next)
            {
                int from = Math.Max(range.Clock, next);
                (waiting ??= new List<DeleteRange>()).Add(new DeleteRange { Client = range.Client, Clock = from, Length = end - from });
            }
        }
    }

    /// <summary>Marks the integrated clocks [from, to) of a client deleted, splitting items at the boundaries.</summary>
    private void DeleteClocks(int client, int from, int to)
    {
        int h = FindItem(client, from);
        if (_items[h].Clock < from)
        {
            h = SplitItem(h, from - _items[h].Clock);
        }

        int previous = -1;
        while (h >= 0 && _items[h].Clock < to)
        {
            if (_items[h].Clock + _items[h].Length > to)
            {
                SplitItem(h, to - _items[h].Clock);
            }

            ref ItemRecord item = ref _items[h];
            if (item.Content >= 0)
            {
                item.Content = -1;
                AddVisible(item.Chunk, -item.Length);
                _length -= item.Length;
            }

            if (TryMerge(previous, h))
            {
                h = previous;
            }

            previous = h;
            h = _items[h].NextInClient;
        }

        if (previous >= 0 && h >= 0)
        {
            TryMerge(previous, h);
        }
    }
}
