using System;

namespace Sync.Crdt.Text.Internal;

/// <content>The chunk index: text index to item, item to text index, linking items into the document order.</content>
internal sealed partial class ItemStore
{
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
    public int Locate(int index, out int offset, out int previous)
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
    public int IndexOfItem(int target)
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

    /// <summary>Returns the item right before <paramref name="target"/> in document order, or -1 at the start. O(64).</summary>
    public int Predecessor(int target)
    {
        ref ChunkRecord chunk = ref _chunks[_items[target].Chunk];
        int h = chunk.First;
        if (h == target)
        {
            if (chunk.Ordinal == 0)
            {
                return -1;
            }

            ref ChunkRecord previous = ref _chunks[_chunkOrder[chunk.Ordinal - 1]];
            h = previous.First;
            for (int i = 1; i < previous.Count; i++)
            {
                h = _items[h].Right;
            }

            return h;
        }

        while (_items[h].Right != target)
        {
            h = _items[h].Right;
        }

        return h;
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
}
