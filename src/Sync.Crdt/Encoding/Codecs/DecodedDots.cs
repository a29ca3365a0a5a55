using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>
/// The dots of a set being decoded, collected as (replica table index, counter, element index) in input order, then
/// sorted into the set's dot index in O(n + r log r) plus a primitive sort per replica: a counting sort by the
/// replica's rank in dot order, then each replica's counters (usually already ascending). Sorting also proves
/// uniqueness: two equal adjacent dots are a dot that keeps two elements alive. Context coverage is checked per dot
/// against the vector's counter for its table index, looked up once per replica. Scratch arrays are pooled.
/// </summary>
internal sealed class DecodedDots : IDisposable
{
    /// <summary>The stride of a leaf in a recorded element position (at least the tree's largest leaf).</summary>
    private const int PositionsPerLeaf = 64;

    private readonly CausalContext _context;
    private readonly string _owners;
    private readonly string _operation;
    private long[] _covered;
    private int[] _replica;
    private long[] _counter;
    private int[] _item;
    private int[] _offset;
    private int _count;

    /// <summary>Creates the collection for a value whose dots each keep one of its <paramref name="owners"/> alive.</summary>
    /// <param name="context">The value's causal context, which must hold every dot.</param>
    /// <param name="tableCount">The message's replica table size.</param>
    /// <param name="owners">What a dot keeps alive, plural, for the duplicate-dot error ("set elements").</param>
    /// <param name="operation">What a dot names, for the same error ("add").</param>
    public DecodedDots(CausalContext context, int tableCount, string owners = "set elements", string operation = "add")
    {
        _context = context;
        _owners = owners;
        _operation = operation;
        _covered = ArrayPool<long>.Shared.Rent(Math.Max(1, tableCount));
        _covered.AsSpan().Fill(-1);
        _replica = ArrayPool<int>.Shared.Rent(16);
        _counter = ArrayPool<long>.Shared.Rent(16);
        _item = ArrayPool<int>.Shared.Rent(16);
        _offset = ArrayPool<int>.Shared.Rent(16);
    }

    /// <summary>Grows the table-sized scratch to hold table entries up to <paramref name="tableCount"/> (for readers that build their table as they go).</summary>
    public void EnsureTable(int tableCount)
    {
        if (tableCount <= _covered.Length)
        {
            return;
        }

        long[] bigger = ArrayPool<long>.Shared.Rent(Math.Max(tableCount, _covered.Length * 2));
        _covered.AsSpan().CopyTo(bigger);
        bigger.AsSpan(_covered.Length).Fill(-1);
        ArrayPool<long>.Shared.Return(_covered);
        _covered = bigger;
    }

    /// <summary>Gets the number of dots collected.</summary>
    public int Count => _count;

    /// <summary>Returns whether the context holds the dot of table entry <paramref name="index"/> (replica <paramref name="replica"/>).</summary>
    public bool InContext(int index, ReplicaId replica, long counter)
    {
        long covered = _covered[index];
        if (covered < 0)
        {
            covered = _context.VersionVector[replica];
            _covered[index] = covered;
        }

        return counter <= covered || (!_context.DotCloud.IsEmpty && _context.Contains(new Dot(replica, counter, trusted: true)));
    }

    /// <summary>Records one dot of element <paramref name="item"/>, read at <paramref name="offset"/>.</summary>
    public void Add(int replica, long counter, int item, int offset)
    {
        if (_count == _replica.Length)
        {
            Grow();
        }

        _replica[_count] = replica;
        _counter[_count] = counter;
        _item[_count] = item;
        _offset[_count] = offset;
        _count++;
    }

    /// <summary>Returns the position to record for entry <paramref name="index"/> of leaf <paramref name="leaf"/> of a bottom-up build.</summary>
    public static int Position(int leaf, int index)
    {
        Debug.Assert(index < PositionsPerLeaf, "A leaf holds at most LeafMax entries.");
        return (leaf * PositionsPerLeaf) + index;
    }

    /// <summary>
    /// Sorts the dots into dot order and builds the set's dot index from them (each dot's element taken from
    /// <paramref name="leafItems"/> at its recorded <see cref="Position"/>); throws at the later occurrence of a dot
    /// that appears twice. Allocates only the index tree.
    /// </summary>
    public SortedTree<Dot, T> BuildIndex<T>(ref CrdtReader reader, T[][] leafItems) =>
        TryBuildIndex(reader.ReplicaTable, reader.ReplicasUsed, reader.TableAscending, leafItems, out Duplicated duplicate)
        ?? throw Duplicate(duplicate.Index, duplicate.Counter, duplicate.Replica);

    /// <summary>
    /// Sorts the dots into dot order and builds the dot index, for dots whose table indices refer to the first
    /// <paramref name="used"/> entries of <paramref name="table"/> (ascending when <paramref name="ascending"/>);
    /// returns null, with the dot in <paramref name="duplicate"/>, when a dot appears twice. Allocates only the index
    /// tree and O(table) scratch.
    /// </summary>
    public SortedTree<Dot, T>? TryBuildIndex<T>(ReplicaId[] table, int used, bool ascending, T[][] leafItems, out Duplicated duplicate)
    {
        int n = _count;
        duplicate = default;

        // The table entries that dots name (a nested value's ids, such as an OR-map's per-key writers, may make the
        // table far larger than the set of dot replicas), in table order, then ranked in replica order.
        var rank = new int[used];
        int tableCount = 0;
        for (int i = 0; i < n; i++)
        {
            ref int seen = ref rank[_replica[i]];
            if (seen == 0)
            {
                seen = 1;
                tableCount++;
            }
        }

        var order = new int[tableCount];
        var ids = new ReplicaId[tableCount];
        for (int i = 0, r = 0; r < tableCount; i++)
        {
            if (rank[i] != 0)
            {
                order[r] = i;
                ids[r++] = table[i];
            }
        }

        if (!ascending)
        {
            Array.Sort(ids, order);
        }

        for (int r = 0; r < tableCount; r++)
        {
            rank[order[r]] = r;
        }

        // Counting sort by rank.
        var start = new int[tableCount + 1];
        for (int i = 0; i < n; i++)
        {
            start[rank[_replica[i]] + 1]++;
        }

        for (int r = 0; r < tableCount; r++)
        {
            start[r + 1] += start[r];
        }

        long[] counters = ArrayPool<long>.Shared.Rent(Math.Max(1, n));
        int[] elements = ArrayPool<int>.Shared.Rent(Math.Max(1, n));
        try
        {
            var next = (int[])start.Clone();
            for (int i = 0; i < n; i++)
            {
                int at = next[rank[_replica[i]]]++;
                counters[at] = _counter[i];
                elements[at] = _item[i];
            }

            for (int r = 0; r < tableCount; r++)
            {
                int from = start[r];
                int length = start[r + 1] - from;
                if (!IsAscending(counters.AsSpan(from, length)))
                {
                    SortMostlyAscending(counters, elements, from, length);
                    for (int k = from + 1; k < from + length; k++)
                    {
                        if (counters[k] == counters[k - 1])
                        {
                            duplicate = new Duplicated(order[r], counters[k], ids[r]);
                            return null;
                        }
                    }
                }
            }

            var source = new IndexSource<T>(counters, elements, start, ids, leafItems);
            return SortedTree<Dot, T>.FromSource(Comparer<Dot>.Default, n, ref source);
        }
        finally
        {
            ArrayPool<long>.Shared.Return(counters);
            ArrayPool<int>.Shared.Return(elements);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        ArrayPool<long>.Shared.Return(_covered);
        ArrayPool<int>.Shared.Return(_replica);
        ArrayPool<long>.Shared.Return(_counter);
        ArrayPool<int>.Shared.Return(_item);
        ArrayPool<int>.Shared.Return(_offset);
        _covered = _counter = [];
        _replica = _item = _offset = [];
    }

    /// <summary>
    /// Sorts <c>counters[from..from+length)</c> and, parallel, <paramref name="elements"/>, for input that is mostly
    /// ascending (a replica's adds in element order, with re-adds of earlier elements out of place): the entries
    /// that break the ascent are moved aside, sorted, and merged back, so k entries out of place cost
    /// O(n + k log k) instead of a full sort.
    /// </summary>
    private static void SortMostlyAscending(long[] counters, int[] elements, int from, int length)
    {
        long[] restCounters = ArrayPool<long>.Shared.Rent(length);
        int[] restElements = ArrayPool<int>.Shared.Rent(length);
        try
        {
            // Keep (compacted in place) each entry above the last kept one and below its successor; set the rest aside.
            int end = from + length;
            int kept = from;
            int rest = 0;
            long last = long.MinValue;
            for (int i = from; i < end; i++)
            {
                long counter = counters[i];
                if (counter > last && (i + 1 == end || counter < counters[i + 1]))
                {
                    counters[kept] = counter;
                    elements[kept] = elements[i];
                    kept++;
                    last = counter;
                }
                else
                {
                    restCounters[rest] = counter;
                    restElements[rest] = elements[i];
                    rest++;
                }
            }

            Array.Sort(restCounters, restElements, 0, rest);

            // Merge from the back: the kept run fills the front, so no unread entry is overwritten.
            int a = kept - 1;
            int b = rest - 1;
            for (int at = end - 1; b >= 0; at--)
            {
                if (a >= from && counters[a] > restCounters[b])
                {
                    counters[at] = counters[a];
                    elements[at] = elements[a];
                    a--;
                }
                else
                {
                    counters[at] = restCounters[b];
                    elements[at] = restElements[b];
                    b--;
                }
            }
        }
        finally
        {
            ArrayPool<long>.Shared.Return(restCounters);
            ArrayPool<int>.Shared.Return(restElements);
        }
    }

    /// <summary>Checks strict ascent (a run that is strictly ascending holds no duplicate).</summary>
    private static bool IsAscending(ReadOnlySpan<long> values)
    {
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] <= values[i - 1])
            {
                return false;
            }
        }

        return true;
    }

    private CrdtFormatException Duplicate(int index, long counter, ReplicaId replica)
    {
        // The error path: find the second occurrence in input order for its offset.
        bool seen = false;
        for (int i = 0; i < _count; i++)
        {
            if (_replica[i] == index && _counter[i] == counter)
            {
                if (seen)
                {
                    return CrdtReader.Error($"Dot {new Dot(replica, counter, trusted: true)} keeps two {_owners} alive; a dot names one {_operation}.", _offset[i]);
                }

                seen = true;
            }
        }

        return CrdtReader.Error($"Dot {new Dot(replica, counter, trusted: true)} keeps two {_owners} alive; a dot names one {_operation}.", 0);
    }

    private void Grow()
    {
        int size = _replica.Length * 2;
        _replica = Resize(_replica, size, _count);
        _counter = Resize(_counter, size, _count);
        _item = Resize(_item, size, _count);
        _offset = Resize(_offset, size, _count);
    }

    private static TItem[] Resize<TItem>(TItem[] array, int size, int count)
    {
        TItem[] bigger = ArrayPool<TItem>.Shared.Rent(size);
        array.AsSpan(0, count).CopyTo(bigger);
        ArrayPool<TItem>.Shared.Return(array);
        return bigger;
    }

    /// <summary>A dot found twice: its table index, counter and replica.</summary>
    internal readonly record struct Duplicated(int Index, long Counter, ReplicaId Replica);

    /// <summary>The sorted dots as the dot index's entries, in dot order (replicas by rank, then counters).</summary>
    private struct IndexSource<T> : ISortedSource<Dot, T>
    {
        private readonly long[] _counters;
        private readonly int[] _elements;
        private readonly int[] _start;
        private readonly ReplicaId[] _replicas;
        private readonly T[][] _leafItems;
        private int _rank;
        private int _next;

        public IndexSource(long[] counters, int[] elements, int[] start, ReplicaId[] replicas, T[][] leafItems)
        {
            _counters = counters;
            _elements = elements;
            _start = start;
            _replicas = replicas;
            _leafItems = leafItems;
            _rank = 0;
            _next = 0;
        }

        public void Fill(Span<Dot> keys, Span<T> values)
        {
            for (int i = 0; i < keys.Length; i++, _next++)
            {
                while (_next == _start[_rank + 1])
                {
                    _rank++;
                }

                keys[i] = new Dot(_replicas[_rank], _counters[_next], trusted: true);
                int position = _elements[_next];
                values[i] = _leafItems[position / PositionsPerLeaf][position % PositionsPerLeaf];
            }
        }
    }
}
