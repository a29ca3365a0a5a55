using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Text.Internal;

namespace Sync.Crdt.Text;

/// <content>Item storage: the item array, content buffer, chunk index, splits, merges and id lookup.</content>
public sealed partial class TextDocument
{
    /// <summary>A chunk splits in two when it holds more items than this.</summary>
    private const int MaxChunkItems = 64;

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

    private int _version;

    /// <summary>Gets the number of code units held in the content buffer, deleted ones not yet collected included (tests).</summary>
    internal int StoredContentLength => _contentLength;

    private int Head => _chunkCount == 0 ? -1 : _chunks[_chunkOrder[0]].First;

    private int ClientNumber(ReplicaId replica)
    {
        if (!_clientNumbers.TryGetValue(replica, out int client))
        {
            client = _clients.Count;
            _clients.Add(new ClientLog(replica));
            _clientNumbers.Add(replica, client);
        }

        return client;
    }

    /// <summary>Grows the item array and content buffer ahead of integrating many items at once.</summary>
    private void Reserve(int items, int contentChars)
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

    /// <summary>Adds <paramref name="delta"/> visible code units to a chunk, keeping the cached chunk start correct.</summary>
    private void AddVisible(int chunk, int delta)
    {
        ref ChunkRecord c = ref _chunks[chunk];
        c.Visible += delta;
        if (_cacheOrdinal >= 0 && c.Ordinal < _cacheOrdinal)
        {
            _cacheStart += delta;
        }
    }

    /// <summary>Finds the visible code unit at <paramref name="index"/> (0 ≤ index &lt; Length).</summary>
    /// <param name="index">The text index.</param>
    /// <param name="offset">The code unit's offset inside the returned item.</param>
    /// <param name="previous">The item before the returned one in document order, or -1 when unknown (chunk start).</param>
    /// <returns>The item holding the code unit.</returns>
    private int Locate(int index, out int offset, out int previous)
    {
        int ordinal;
        int start;
        if (_cacheOrdinal >= 0)
        {
            ordinal = _cacheOrdinal;
            start = _cacheStart;
            if (index >= start)
            {
                while (index >= start + _chunks[_chunkOrder[ordinal]].Visible)
                {
                    start += _chunks[_chunkOrder[ordinal]].Visible;
                    ordinal++;
                }
            }
            else
            {
                while (start > index)
                {
                    ordinal--;
                    start -= _chunks[_chunkOrder[ordinal]].Visible;
                }
            }
        }
        else
        {
            ordinal = 0;
            start = 0;
            while (index >= start + _chunks[_chunkOrder[ordinal]].Visible)
            {
                start += _chunks[_chunkOrder[ordinal]].Visible;
                ordinal++;
            }
        }

        _cacheOrdinal = ordinal;
        _cacheStart = start;
        int h = _chunks[_chunkOrder[ordinal]].First;
        int prev = -1;
        int position = start;
        while (true)
        {
            ref ItemRecord item = ref _items[h];
            if (item.Content >= 0)
            {
                if (index < position + item.Length)
                {
                    offset = index - position;
                    previous = prev;
                    return h;
                }

                position += item.Length;
            }

            prev = h;
            h = item.Right;
        }
    }

    /// <summary>Returns the text index of the first code unit of <paramref name="target"/> (or where it would be, when deleted).</summary>
    private int IndexOfItem(int target)
    {
        ref ChunkRecord chunk = ref _chunks[_items[target].Chunk];
        int index = 0;
        for (int i = 0; i < chunk.Ordinal; i++)
        {
            index += _chunks[_chunkOrder[i]].Visible;
        }

        for (int h = chunk.First; h != target; h = _items[h].Right)
        {
            index += _items[h].VisibleLength;
        }

        return index;
    }

    /// <summary>Links a new item right after <paramref name="left"/> (or at the start when -1) and counts it in the index.</summary>
    private void LinkAfter(int item, int left)
    {
        int chunk;
        if (left >= 0)
        {
            chunk = _items[left].Chunk;
            _items[item].Right = _items[left].Right;
            _items[left].Right = item;
        }
        else if (_chunkCount == 0)
        {
            chunk = NewChunk(0);
            _chunks[chunk].First = item;
            _items[item].Right = -1;
        }
        else
        {
            chunk = _chunkOrder[0];
            _items[item].Right = _chunks[chunk].First;
            _chunks[chunk].First = item;
        }

        _items[item].Chunk = chunk;
        _chunks[chunk].Count++;
        AddVisible(chunk, _items[item].VisibleLength);
        if (_chunks[chunk].Count > MaxChunkItems)
        {
            SplitChunk(chunk);
        }
    }

    private int NewChunk(int ordinal)
    {
        if (_chunkCount == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
            Array.Resize(ref _chunkOrder, _chunkOrder.Length * 2);
        }

        int chunk = _chunkCount++;
        Array.Copy(_chunkOrder, ordinal, _chunkOrder, ordinal + 1, chunk - ordinal);
        _chunkOrder[ordinal] = chunk;
        for (int i = ordinal; i < _chunkCount; i++)
        {
            _chunks[_chunkOrder[i]].Ordinal = i;
        }

        _chunks[chunk] = new ChunkRecord { First = -1, Count = 0, Visible = 0, Ordinal = ordinal };
        if (_cacheOrdinal >= ordinal)
        {
            _cacheOrdinal++;
        }

        return chunk;
    }

    private void SplitChunk(int chunk)
    {
        int keep = _chunks[chunk].Count / 2;
        int h = _chunks[chunk].First;
        for (int i = 0; i < keep; i++)
        {
            h = _items[h].Right;
        }

        int moved = NewChunk(_chunks[chunk].Ordinal + 1);
        ref ChunkRecord source = ref _chunks[chunk];
        ref ChunkRecord target = ref _chunks[moved];
        target.First = h;
        target.Count = source.Count - keep;
        int visible = 0;
        for (int i = 0; i < target.Count; i++)
        {
            _items[h].Chunk = moved;
            visible += _items[h].VisibleLength;
            h = _items[h].Right;
        }

        target.Visible = visible;
        source.Count = keep;
        source.Visible -= visible;

        // The cache (if it named the split chunk) still names its first half, whose start is unchanged.
    }

    /// <summary>Splits an item so that the first <paramref name="at"/> code units stay and the rest becomes a new item right after it.</summary>
    /// <returns>The new right part.</returns>
    private int SplitItem(int item, int at)
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
    private bool TryMerge(int left, int right)
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

    private void ReplaceSortedEntry(ClientLog log, int oldItem, int newItem)
    {
        if (log.Stale)
        {
            return;
        }

        // Earlier merges may have left the same item in several adjacent entries: replace them all.
        for (int slot = SearchSorted(log, _items[oldItem].Clock); slot >= 0 && log.Sorted[slot] == oldItem; slot--)
        {
            log.Sorted[slot] = newItem;
        }
    }

    /// <summary>Returns the index of the last entry of the sorted array whose clock is at most <paramref name="clock"/>, or -1.</summary>
    private int SearchSorted(ClientLog log, int clock)
    {
        int[] sorted = log.Sorted;
        int lo = 0;
        int hi = log.SortedCount - 1;
        int found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_items[sorted[mid]].Clock <= clock)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    private void AppendToClient(int client, int item)
    {
        ClientLog log = _clients[client];
        if (log.Last >= 0)
        {
            _items[log.Last].NextInClient = item;
        }
        else
        {
            log.First = item;
        }

        log.Last = item;
        _items[item].NextInClient = -1;
        if (!log.Stale)
        {
            if (log.SortedCount == log.Sorted.Length)
            {
                Array.Resize(ref log.Sorted, Math.Max(8, log.Sorted.Length * 2));
            }

            log.Sorted[log.SortedCount++] = item;
        }
    }

    /// <summary>Finds the item holding clock <paramref name="clock"/> of <paramref name="client"/>; the clock must be integrated.</summary>
    private int FindItem(int client, int clock)
    {
        ClientLog log = _clients[client];
        int last = log.Last;
        if (clock >= _items[last].Clock)
        {
            // Fast path: the client's latest run (typing, loading in clock order).
            return last;
        }

        if (log.Stale)
        {
            RebuildSorted(log);
        }

        int slot = SearchSorted(log, clock);
        int h = slot >= 0 ? log.Sorted[slot] : log.First;
        int steps = 0;
        while (clock >= _items[h].Clock + _items[h].Length)
        {
            h = _items[h].NextInClient;
            steps++;
        }

        if (steps > MaxLookupWalk)
        {
            log.Stale = true;
        }

        return h;
    }

    private void RebuildSorted(ClientLog log)
    {
        int count = 0;
        for (int h = log.First; h >= 0; h = _items[h].NextInClient)
        {
            count++;
        }

        if (log.Sorted.Length < count)
        {
            log.Sorted = new int[Math.Max(8, count + (count / 4))];
        }

        int i = 0;
        for (int h = log.First; h >= 0; h = _items[h].NextInClient)
        {
            log.Sorted[i++] = h;
        }

        log.SortedCount = count;
        log.Stale = false;
    }
}
