using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Text.Internal;

/// <summary>
/// The block store of a text document (y-crdt's <c>BlockStore</c>): the items (runs of code units) in one array of structs
/// linked in document order, the content buffer of the visible ones, the chunk index that turns a text index into an item,
/// and per replica the chain of its items in clock order with a sorted array for id lookups. It splits and merges items
/// and marks them deleted; it knows nothing of updates, origins conflicts or the pending queue.
/// </summary>
/// <remarks>
/// Items are addressed by their slot in the array (an <c>int</c>); slots of merged items are reused. Clients are compact
/// per-document numbers for replica ids (0, 1, … in order of first appearance). Not thread-safe.
/// </remarks>
internal sealed partial class ItemStore
{
    /// <summary>A chunk splits in two when it holds more items than this.</summary>
    public const int MaxChunkItems = 64;

    /// <summary>A clock lookup that walks more split items than this marks the client's sorted array for rebuilding.</summary>
    private const int MaxLookupWalk = 32;

    private readonly List<ClientLog> _clients = new();
    private readonly Dictionary<ReplicaId, int> _clientNumbers = new();

    private ItemRecord[] _items = new ItemRecord[16];
    private int _itemCount;
    private int _freeItem = -1;
    private int _liveItems;

    private char[] _content = new char[64];
    private int _contentLength;
    private int _length;

    private ChunkRecord[] _chunks = new ChunkRecord[4];
    private int[] _chunkOrder = new int[4];
    private int _chunkCount;

    // Cached position of one chunk (ordinal and text index of its first code unit): the local-editing fast path.
    private int _cacheOrdinal = -1;
    private int _cacheStart;

    /// <summary>Gets the number of visible code units.</summary>
    public int Length => _length;

    /// <summary>Gets the number of items stored, deleted ones included.</summary>
    public int ItemCount => _liveItems;

    /// <summary>Gets the number of code units held in the content buffer, deleted ones not yet collected included.</summary>
    public int StoredContentLength => _contentLength;

    /// <summary>Gets the first item in document order, or -1 when the store is empty.</summary>
    public int Head => _chunkCount == 0 ? -1 : _chunks[_chunkOrder[0]].First;

    /// <summary>Gets the number of clients (replicas) the store has numbered.</summary>
    public int ClientCount => _clients.Count;

    /// <summary>Returns a reference to an item.</summary>
    public ref ItemRecord this[int item] => ref _items[item];

    /// <summary>Returns the content of a visible item's code units [offset, offset + length) as memory over the buffer.</summary>
    public ReadOnlyMemory<char> Content(int contentOffset, int length) => new(_content, contentOffset, length);

    /// <summary>Returns the code unit at <paramref name="offset"/> of a visible item.</summary>
    public char CharAt(int item, int offset) => _content[_items[item].Content + offset];

    /// <summary>Marks a visible item deleted: drops its content (collected at the next compaction) and its visible length.</summary>
    public void MarkDeleted(int item)
    {
        ref ItemRecord record = ref _items[item];
        record.Content = -1;
        AddVisible(record.Chunk, -record.Length);
        _length -= record.Length;
    }

    /// <summary>Appends an item after <paramref name="left"/> (-1: at the start) with <paramref name="content"/> (null: deleted),
    /// registers it as its client's latest item, and merges it with its neighbours when they form one run.</summary>
    /// <returns>The slot that holds the item's code units (the left neighbour's when merged into it).</returns>
    public int Add(int left, int client, int clock, int length, ReadOnlySpan<char> content, bool deleted, ItemOrigins origins)
    {
        int contentOffset = -1;
        if (!deleted)
        {
            EnsureContentCapacity(length);
            contentOffset = AppendContent(content);
        }

        int item = AllocateItem();
        _items[item] = new ItemRecord
        {
            Client = client,
            Clock = clock,
            Length = length,
            Content = contentOffset,
            OriginLeftClient = origins.LeftClient,
            OriginLeftClock = origins.LeftClock,
            OriginRightClient = origins.RightClient,
            OriginRightClock = origins.RightClock,
        };
        AppendToClient(client, item);
        LinkAfter(item, left);
        _clients[client].Next = clock + length;
        if (!deleted)
        {
            _length += length;
        }

        if (left >= 0 && TryMerge(left, item))
        {
            item = left;
        }

        TryMerge(item, _items[item].Right);
        return item;
    }

    /// <summary>
    /// Inserts a local edit: <paramref name="text"/> (well-formed UTF-16) at visible <paramref name="index"/>, by
    /// <paramref name="client"/>, at the client's next clock. Extends the client's last run when the insert continues it.
    /// </summary>
    /// <returns>The clock of the first inserted code unit; <paramref name="origins"/> receives the new item's origins.</returns>
    /// <exception cref="ArgumentException"><paramref name="index"/> lies inside a surrogate pair.</exception>
    public int InsertLocal(int client, int index, string text, out ItemOrigins origins)
    {
        int left = -1;
        if (index > 0)
        {
            left = Locate(index - 1, out int offset, out _);
            if (char.IsHighSurrogate(_content[_items[left].Content + offset]))
            {
                throw new ArgumentException($"Index {index} lies inside a surrogate pair.", nameof(index));
            }

            if (offset < _items[left].Length - 1)
            {
                SplitItem(left, offset + 1);
            }
        }

        int right = left >= 0 ? _items[left].Right : Head;
        origins = new ItemOrigins(
            left >= 0 ? _items[left].Client : -1,
            left >= 0 ? _items[left].Clock + _items[left].Length - 1 : 0,
            right >= 0 ? _items[right].Client : -1,
            right >= 0 ? _items[right].Clock : 0);
        ClientLog log = _clients[client];
        int clock = log.Next;
        EnsureContentCapacity(text.Length);
        if (left >= 0
            && origins.LeftClient == client
            && origins.LeftClock == clock - 1
            && _items[left].Content >= 0
            && _items[left].Content + _items[left].Length == _contentLength
            && _items[left].OriginRightClient == origins.RightClient
            && _items[left].OriginRightClock == origins.RightClock)
        {
            // Typing on at the end of this client's last run: extend it (the receiver merges the same way).
            AppendContent(text);
            _items[left].Length += text.Length;
            AddVisible(_items[left].Chunk, text.Length);
            log.Next += text.Length;
            _length += text.Length;
            return clock;
        }

        Add(left, client, clock, text.Length, text, deleted: false, origins);
        return clock;
    }

    /// <summary>
    /// Inserts <paramref name="text"/> as a local edit of <paramref name="client"/> right before item <paramref name="target"/>
    /// (restoring deleted text in place of its tombstone): origin-left is the item before the target, deleted or not, and
    /// origin-right the target's first id.
    /// </summary>
    /// <returns>The clock of the first inserted code unit.</returns>
    public int InsertLocalBefore(int client, int target, string text)
    {
        int left = Predecessor(target);
        var origins = new ItemOrigins(
            left >= 0 ? _items[left].Client : -1,
            left >= 0 ? _items[left].Clock + _items[left].Length - 1 : 0,
            _items[target].Client,
            _items[target].Clock);
        int clock = _clients[client].Next;
        Add(left, client, clock, text.Length, text, deleted: false, origins);
        return clock;
    }

    /// <summary>Deletes the visible code units [index, index + length) and adds their ids to <paramref name="deleted"/>, in
    /// document order. The range must be in bounds and not split a surrogate pair (the caller checks).</summary>
    public void DeleteVisible(int index, int length, DeleteSet deleted)
    {
        int h = Locate(index, out int offset, out int previous);
        if (offset > 0)
        {
            previous = h;
            h = SplitItem(h, offset);
        }

        int remaining = length;
        while (remaining > 0)
        {
            if (_items[h].Content < 0)
            {
                previous = h;
                h = _items[h].Right;
                continue;
            }

            if (_items[h].Length > remaining)
            {
                SplitItem(h, remaining);
            }

            ref ItemRecord item = ref _items[h];
            remaining -= item.Length;
            deleted.Add(item.Client, item.Clock, item.Length);
            MarkDeleted(h);
            if (TryMerge(previous, h))
            {
                h = previous;
            }

            previous = h;
            h = _items[h].Right;
        }

        TryMerge(previous, h);
    }

    /// <summary>
    /// Marks the integrated clocks [from, to) of a client deleted, splitting items at the boundaries. A range that starts or
    /// ends inside a visible surrogate pair is rounded out to the whole pair (only a hostile update sends one), so a pair is
    /// always visible or deleted as a whole. O(log n + items in the range).
    /// </summary>
    public void DeleteClocks(int client, int from, int to)
    {
        int h = FindItem(client, from);
        if (from > 0 && _items[h].Content >= 0 && char.IsLowSurrogate(CharAt(h, from - _items[h].Clock)))
        {
            from--;
            h = FindItem(client, from);
        }

        int last = FindItem(client, to - 1);
        if (to < _clients[client].Next && _items[last].Content >= 0 && char.IsHighSurrogate(CharAt(last, to - 1 - _items[last].Clock)))
        {
            to++;
        }

        if (_items[h].Clock < from)
        {
            h = SplitItem(h, from - _items[h].Clock);
        }

        // The item holding the clock before the range: merged with the first deleted item when it is its left neighbour.
        int previous = from > 0 ? FindItem(client, from - 1) : -1;
        while (h >= 0 && _items[h].Clock < to)
        {
            if (_items[h].Clock + _items[h].Length > to)
            {
                SplitItem(h, to - _items[h].Clock);
            }

            if (_items[h].Content >= 0)
            {
                MarkDeleted(h);
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

    /// <summary>Copies the visible code units [index, index + length) into <paramref name="destination"/>.</summary>
    public void CopyText(int index, int length, Span<char> destination)
    {
        int h = Locate(index, out int offset, out _);
        int used = 0;
        while (used < length)
        {
            ref ItemRecord item = ref _items[h];
            if (item.Content >= 0)
            {
                int take = Math.Min(item.Length - offset, length - used);
                _content.AsSpan(item.Content + offset, take).CopyTo(destination[used..]);
                used += take;
                offset = 0;
            }

            h = item.Right;
        }
    }

    /// <summary>Appends the id (replica, clock) and deleted status of every code unit in document order (tests). O(n).</summary>
    public void CollectIds(List<(ReplicaId Replica, int Clock, bool Deleted)> ids)
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

    /// <summary>Grows the item array and content buffer ahead of adding many items at once.</summary>
    public void Reserve(int items, int contentChars)
    {
        if (_itemCount + items > _items.Length)
        {
            Array.Resize(ref _items, Math.Max(_itemCount + items, _items.Length));
        }

        if (_contentLength + contentChars > _content.Length)
        {
            EnsureContentCapacity(contentChars);
        }
    }

    /// <summary>Splits an item so that the first <paramref name="at"/> code units stay and the rest becomes a new item right after it.</summary>
    /// <returns>The new right part.</returns>
    public int SplitItem(int item, int at)
    {
        int right = AllocateItem();
        ref ItemRecord left = ref _items[item];
        _items[right] = new ItemRecord
        {
            Client = left.Client,
            Clock = left.Clock + at,
            Length = left.Length - at,
            Content = left.Content < 0 ? -1 : left.Content + at,
            Right = left.Right,
            NextInClient = left.NextInClient,
            Chunk = left.Chunk,
            OriginLeftClient = left.Client,
            OriginLeftClock = left.Clock + at - 1,
            OriginRightClient = left.OriginRightClient,
            OriginRightClock = left.OriginRightClock,
        };
        left.Length = at;
        left.Right = right;
        left.NextInClient = right;
        ClientLog log = _clients[left.Client];
        if (log.Last == item)
        {
            log.Last = right;
        }

        int chunk = left.Chunk;
        _chunks[chunk].Count++;
        if (_chunks[chunk].Count > MaxChunkItems)
        {
            SplitChunk(chunk);
        }

        return right;
    }

    /// <summary>Merges <paramref name="right"/> into <paramref name="left"/> when they form one run again: same client, consecutive
    /// clocks, adjacent in the document and the chunk, the right one typed directly after the left one with the same right origin,
    /// and both deleted or both visible with contiguous content.</summary>
    /// <returns><see langword="true"/> when merged (the right item is freed).</returns>
    public bool TryMerge(int left, int right)
    {
        if (left < 0 || right < 0)
        {
            return false;
        }

        ref ItemRecord a = ref _items[left];
        ref ItemRecord b = ref _items[right];
        if (a.Right != right
            || a.Client != b.Client
            || a.Chunk != b.Chunk
            || b.Clock != a.Clock + a.Length
            || b.OriginLeftClient != a.Client
            || b.OriginLeftClock != b.Clock - 1
            || b.OriginRightClient != a.OriginRightClient
            || b.OriginRightClock != a.OriginRightClock)
        {
            return false;
        }

        if (a.Content < 0 ? b.Content >= 0 : b.Content != a.Content + a.Length)
        {
            return false;
        }

        a.Length += b.Length;
        a.Right = b.Right;
        a.NextInClient = b.NextInClient;
        _chunks[a.Chunk].Count--;
        ClientLog log = _clients[a.Client];
        if (log.Last == right)
        {
            log.Last = left;
        }

        ReplaceSortedEntry(log, right, left);
        FreeItem(right);
        return true;
    }

    private int AllocateItem()
    {
        if (_freeItem >= 0)
        {
            int reused = _freeItem;
            _freeItem = _items[reused].Right;
            _liveItems++;
            return reused;
        }

        if (_itemCount == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _liveItems++;
        return _itemCount++;
    }

    private void FreeItem(int item)
    {
        _items[item].Client = -1;
        _items[item].Right = _freeItem;
        _freeItem = item;
        _liveItems--;
    }

    /// <summary>Makes room for <paramref name="extra"/> more code units, compacting away deleted content first when it dominates.</summary>
    private void EnsureContentCapacity(int extra)
    {
        if (_contentLength + extra <= _content.Length)
        {
            return;
        }

        int live = _length;
        if (_contentLength - live > live)
        {
            CompactContent(Math.Max((live + extra) * 2, 64));
        }

        if (_contentLength + extra > _content.Length)
        {
            Array.Resize(ref _content, Math.Max(_content.Length * 2, _contentLength + extra));
        }
    }

    /// <summary>Garbage-collects deleted content: copies the visible runs, in document order, into a fresh buffer.</summary>
    private void CompactContent(int capacity)
    {
        var fresh = new char[capacity];
        int used = 0;
        for (int h = Head; h >= 0; h = _items[h].Right)
        {
            ref ItemRecord item = ref _items[h];
            if (item.Content >= 0)
            {
                Array.Copy(_content, item.Content, fresh, used, item.Length);
                item.Content = used;
                used += item.Length;
            }
        }

        _content = fresh;
        _contentLength = used;
    }

    private int AppendContent(ReadOnlySpan<char> text)
    {
        int offset = _contentLength;
        text.CopyTo(_content.AsSpan(offset));
        _contentLength += text.Length;
        return offset;
    }
}
