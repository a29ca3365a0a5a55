using System;
using System.Collections.Generic;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Sets;

/// <summary>
/// The bulk path of <see cref="ORSet{T}.Builder"/>: adds of new elements in ascending order, each above every element
/// already in the builder, recorded as (element, acting replica) in O(1) amortized and turned into a set bottom-up
/// in O(n) (plus a counting sort by replica) when the builder is next read or written otherwise.
/// </summary>
/// <remarks>
/// <para>An add of an absent element gets the acting replica's next dot and replaces nothing, so a run of such adds is
/// fully described by its elements, the replica of each and, per replica, the first counter it took: the k-th add of
/// a replica in the run has counter <c>first + k</c>. The dots are therefore not stored; they are produced once, in
/// the arrays the trees are built from.</para>
/// <para>Mutable, not thread-safe: owned by one builder.</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
[Mutable]
internal sealed class ORSetAddRun<T>
    where T : notnull
{
    /// <summary>Up to this many distinct replicas are found by a linear scan; more use a dictionary.</summary>
    private const int ScanLimit = 8;

    /// <summary>The run is stored in chunks of this many adds, so it grows without copying.</summary>
    private const int ChunkShift = 12;
    private const int ChunkSize = 1 << ChunkShift;

    private T[][] _items = [];
    private int[][]? _slots;
    private int _count;

    private ReplicaId[] _replicas = new ReplicaId[4];
    private long[] _first = new long[4];
    private long[] _next = new long[4];
    private int _replicaCount;
    private int _lastSlot = -1;
    private Dictionary<ReplicaId, int>? _slotOf;

    /// <summary>Gets the number of adds in the run.</summary>
    public int Count => _count;

    /// <summary>Gets the last (greatest) element of the run; the run must not be empty.</summary>
    public T Last => _items[(_count - 1) >> ChunkShift][(_count - 1) & (ChunkSize - 1)];

    /// <summary>
    /// Appends an add of <paramref name="item"/> (above every element so far) by <paramref name="replica"/>;
    /// <paramref name="context"/> is the context the run starts from, consulted on a replica's first add in the run.
    /// </summary>
    /// <exception cref="OverflowException">The replica's event counter is exhausted; nothing is appended.</exception>
    public void Append(ReplicaId replica, T item, CausalContext context)
    {
        int slot = SlotOf(replica, context);
        long counter = _next[slot];
        if (counter < 1)
        {
            // The previous add took counter long.MaxValue (the increment wrapped): exhausted, as CausalContext.NextDot reports.
            throw new OverflowException($"The event counter of replica '{replica}' is exhausted.");
        }

        int chunk = _count >> ChunkShift;
        int at = _count & (ChunkSize - 1);
        if (at == 0)
        {
            AddChunk(chunk);
        }

        _items[chunk][at] = item;
        if (_slots is not null)
        {
            _slots[chunk][at] = slot;
        }

        _count++;
        _next[slot] = unchecked(counter + 1);
    }

    /// <summary>
    /// Returns the run as a set (the join of its adds' deltas: its elements, their dots and a context of exactly those
    /// dots) and the union of <paramref name="start"/> with that context, then empties the run.
    /// </summary>
    public ORSet<T> Build(IComparer<T> comparer, CausalContext start, out CausalContext combined)
    {
        int n = _count;
        int r = _replicaCount;

        // Replicas in dot order; each one's dots take a contiguous range of the index, in run order.
        var order = new int[r];
        var sortedReplicas = new ReplicaId[r];
        for (int s = 0; s < r; s++)
        {
            order[s] = s;
            sortedReplicas[s] = _replicas[s];
        }

        Array.Sort(sortedReplicas, order);
        var lasts = new long[r];
        var firsts = new long[r];
        bool fromOne = true;
        bool contiguous = start.IsCompact;
        for (int k = 0; k < r; k++)
        {
            int slot = order[k];
            firsts[k] = _first[slot];
            lasts[k] = unchecked(_next[slot] - 1);
            fromOne &= _first[slot] == 1;
            contiguous &= _first[slot] == start.VersionVector[_replicas[slot]] + 1;
        }

        // The index in dot order: replica by replica, each replica's adds in run order (its counters ascend).
        int[]? byDot = r > 1 ? IndexOrder(order, n) : null;
        var entrySource = new EntrySource(this);
        var indexSource = new IndexSource(this, byDot, sortedReplicas, firsts, lasts);
        SortedTree<T, Dot[]> entries = SortedTree<T, Dot[]>.FromSource(comparer, n, ref entrySource);
        SortedTree<Dot, T> index = SortedTree<Dot, T>.FromSource(Comparer<Dot>.Default, n, ref indexSource);

        // The run's context: each replica's counters first..last; from counter 1 that is a vector entry.
        VersionVector runVector = VersionVector.FromSortedUnchecked(sortedReplicas, lasts);
        CausalContext runContext = fromOne ? CausalContext.Create(runVector) : RangesContext(sortedReplicas, firsts, lasts, n);
        combined = start.IsEmpty ? runContext
            : contiguous ? CausalContext.Create(start.VersionVector.Merge(runVector))
            : start.Merge(runContext);

        Clear();
        return ORSet<T>.FromTrees(entries, index, runContext);
    }

    private T ItemAt(int i) => _items[i >> ChunkShift][i & (ChunkSize - 1)];

    private int SlotAt(int i) => _slots is null ? 0 : _slots[i >> ChunkShift][i & (ChunkSize - 1)];

    /// <summary>Returns the run index of each index position (a stable counting sort of the adds by replica rank).</summary>
    private int[] IndexOrder(int[] order, int n)
    {
        var rank = new int[order.Length];
        for (int k = 0; k < order.Length; k++)
        {
            rank[order[k]] = k;
        }

        var next = new int[order.Length];
        for (int i = 0; i < n; i++)
        {
            next[rank[SlotAt(i)]]++;
        }

        int at = 0;
        for (int k = 0; k < next.Length; k++)
        {
            (next[k], at) = (at, at + next[k]);
        }

        var byDot = new int[n];
        for (int i = 0; i < n; i++)
        {
            byDot[next[rank[SlotAt(i)]]++] = i;
        }

        return byDot;
    }

    /// <summary>A context of exactly the dots first..last of each replica (some not starting at 1, so a cloud).</summary>
    private static CausalContext RangesContext(ReplicaId[] replicas, long[] firsts, long[] lasts, int n)
    {
        var dots = new Dot[n];
        int at = 0;
        for (int k = 0; k < replicas.Length; k++)
        {
            for (long c = firsts[k]; c <= lasts[k] && c > 0; c = unchecked(c + 1))
            {
                dots[at++] = new Dot(replicas[k], c, trusted: true);
            }
        }

        return CausalContext.Normalize(VersionVector.Empty, dots);
    }

    private void AddChunk(int chunk)
    {
        if (chunk == _items.Length)
        {
            int size = Math.Max(4, chunk * 2);
            Array.Resize(ref _items, size);
            if (_slots is not null)
            {
                Array.Resize(ref _slots, size);
            }
        }

        _items[chunk] = new T[ChunkSize];
        if (_slots is not null)
        {
            _slots[chunk] = new int[ChunkSize];
        }
    }

    private int SlotOf(ReplicaId replica, CausalContext context)
    {
        if (_lastSlot >= 0 && ReferenceEquals(_replicas[_lastSlot].Value, replica.Value))
        {
            return _lastSlot;
        }

        int slot = -1;
        if (_slotOf is not null)
        {
            if (!_slotOf.TryGetValue(replica, out slot))
            {
                slot = -1;
            }
        }
        else
        {
            for (int s = 0; s < _replicaCount; s++)
            {
                if (_replicas[s] == replica)
                {
                    slot = s;
                    break;
                }
            }
        }

        if (slot < 0)
        {
            slot = AddReplica(replica, context);
        }

        _lastSlot = slot;
        return slot;
    }

    private int AddReplica(ReplicaId replica, CausalContext context)
    {
        // The replica's first add in the run: its next dot is one past its highest counter in the context.
        long first = context.NextDot(replica).Counter;
        int slot = _replicaCount;
        if (slot == _replicas.Length)
        {
            Array.Resize(ref _replicas, slot * 2);
            Array.Resize(ref _first, slot * 2);
            Array.Resize(ref _next, slot * 2);
        }

        _replicas[slot] = replica;
        _first[slot] = first;
        _next[slot] = first;
        _replicaCount++;
        if (slot == 1)
        {
            // A second replica: from now on each add records its replica (the adds so far are all slot 0).
            _slots = new int[_items.Length][];
            for (int c = 0; c < _items.Length && _items[c] is not null; c++)
            {
                _slots[c] = new int[ChunkSize];
            }
        }

        if (_slotOf is not null)
        {
            _slotOf.Add(replica, slot);
        }
        else if (_replicaCount > ScanLimit)
        {
            _slotOf = new Dictionary<ReplicaId, int>(_replicaCount * 2);
            for (int s = 0; s < _replicaCount; s++)
            {
                _slotOf.Add(_replicas[s], s);
            }
        }

        return slot;
    }

    private void Clear()
    {
        _items = [];
        _slots = null;
        _count = 0;
        Array.Clear(_replicas);
        _replicaCount = 0;
        _lastSlot = -1;
        _slotOf = null;
    }

    /// <summary>The run's elements in order, each with a one-dot array of its add's dot.</summary>
    private struct EntrySource : ISortedSource<T, Dot[]>
    {
        private readonly ORSetAddRun<T> _run;
        private readonly long[] _counters;
        private int _next;

        public EntrySource(ORSetAddRun<T> run)
        {
            _run = run;
            _counters = run._first.AsSpan(0, run._replicaCount).ToArray();
            _next = 0;
        }

        public void Fill(Span<T> keys, Span<Dot[]> values)
        {
            ORSetAddRun<T> run = _run;
            for (int k = 0; k < keys.Length; k++)
            {
                int i = _next++;
                int slot = run.SlotAt(i);
                keys[k] = run.ItemAt(i);
                values[k] = [new Dot(run._replicas[slot], _counters[slot]++, trusted: true)];
            }
        }
    }

    /// <summary>The run's dots in dot order, each with its element.</summary>
    private struct IndexSource : ISortedSource<Dot, T>
    {
        private readonly ORSetAddRun<T> _run;
        private readonly int[]? _byDot;
        private readonly ReplicaId[] _replicas;
        private readonly long[] _firsts;
        private readonly long[] _lasts;
        private int _next;
        private int _replica;
        private long _counter;

        public IndexSource(ORSetAddRun<T> run, int[]? byDot, ReplicaId[] replicas, long[] firsts, long[] lasts)
        {
            _run = run;
            _byDot = byDot;
            _replicas = replicas;
            _firsts = firsts;
            _lasts = lasts;
            _next = 0;
            _replica = 0;
            _counter = firsts.Length > 0 ? firsts[0] : 0;
        }

        public void Fill(Span<Dot> keys, Span<T> values)
        {
            for (int k = 0; k < keys.Length; k++)
            {
                while (_counter < 1 || _counter > _lasts[_replica])
                {
                    // The replica's range is done (or wrapped past long.MaxValue): the next replica's starts.
                    _replica++;
                    _counter = _firsts[_replica];
                }

                int i = _next++;
                keys[k] = new Dot(_replicas[_replica], _counter, trusted: true);
                values[k] = _run.ItemAt(_byDot is null ? i : _byDot[i]);
                _counter = unchecked(_counter + 1);
            }
        }
    }
}
