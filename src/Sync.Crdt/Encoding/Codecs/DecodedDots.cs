using System;
using System.Buffers;
using Sync.Crdt.Causality;

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
    private readonly CausalContext _context;
    private long[] _covered;
    private int[] _replica;
    private long[] _counter;
    private int[] _item;
    private int[] _offset;
    private int _count;

    public DecodedDots(CausalContext context, int tableCount)
    {
        _context = context;
        _covered = ArrayPool<long>.Shared.Rent(Math.Max(1, tableCount));
        _covered.AsSpan(0, tableCount).Fill(-1);
        _replica = ArrayPool<int>.Shared.Rent(16);
        _counter = ArrayPool<long>.Shared.Rent(16);
        _item = ArrayPool<int>.Shared.Rent(16);
        _offset = ArrayPool<int>.Shared.Rent(16);
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

    /// <summary>
    /// Sorts the dots into dot order, returning the index's dots and, parallel, their elements; throws at the later
    /// occurrence of a dot that appears twice.
    /// </summary>
    public (Dot[] Dots, T[] Items) Sort<T>(ref CrdtReader reader, T[] items)
    {
        int n = _count;
        int tableCount = reader.ReplicasUsed;

        // Rank of each used table entry in replica order.
        var order = new int[tableCount];
        var ids = new ReplicaId[tableCount];
        for (int i = 0; i < tableCount; i++)
        {
            order[i] = i;
            ids[i] = reader.ReplicaAt(i);
        }

        if (!reader.TableAscending)
        {
            Array.Sort(ids, order);
        }

        var rank = new int[tableCount];
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

            var dots = new Dot[n];
            var dotItems = new T[n];
            for (int r = 0; r < tableCount; r++)
            {
                int from = start[r];
                int length = start[r + 1] - from;
                if (!IsAscending(counters.AsSpan(from, length)))
                {
                    Array.Sort(counters, elements, from, length);
                }

                ReplicaId replica = reader.ReplicaAt(order[r]);
                for (int k = from; k < from + length; k++)
                {
                    if (k > from && counters[k] == counters[k - 1])
                    {
                        throw Duplicate(order[r], counters[k], replica);
                    }

                    dots[k] = new Dot(replica, counters[k], trusted: true);
                    dotItems[k] = items[elements[k]];
                }
            }

            return (dots, dotItems);
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
                    return CrdtReader.Error($"Dot {new Dot(replica, counter, trusted: true)} keeps two set elements alive; a dot names one add.", _offset[i]);
                }

                seen = true;
            }
        }

        return CrdtReader.Error($"Dot {new Dot(replica, counter, trusted: true)} keeps two set elements alive; a dot names one add.", 0);
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
}
