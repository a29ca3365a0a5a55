using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;
using Sync.Crdt.Encoding.Codecs;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Encoding.Json;

/// <summary>
/// The elements of an OR-set being read from JSON, in pooled arrays (returned cleared by <see cref="Dispose"/>), and
/// whether they arrived in ascending order. <see cref="ToSet"/> builds the set the way the binary decoder does: the
/// entries straight into tree leaves and the dots, checked against the context, sorted into the dot index
/// (<see cref="DecodedDots"/>), which also proves that no dot keeps two elements alive.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal struct ORSetJsonScratch<T> : IDisposable
    where T : notnull
{
    private readonly IComparer<T> _comparer;
    private T[] _items;
    private Dot[][] _dots;
    private int _count;
    private bool _ascending;

    public ORSetJsonScratch(IComparer<T> comparer)
    {
        _comparer = comparer;
        _items = ArrayPool<T>.Shared.Rent(16);
        _dots = ArrayPool<Dot[]>.Shared.Rent(16);
        _count = 0;
        _ascending = true;
    }

    /// <summary>Adds an element (not null) with its dots (non-empty, strictly ascending).</summary>
    public void Add(T item, Dot[] dots)
    {
        if (_count == _items.Length)
        {
            Grow();
        }

        _ascending = _ascending && (_count == 0 || SortedTree<T, Dot[]>.CompareKeys(_comparer, _items[_count - 1], item) < 0);
        _items[_count] = item;
        _dots[_count] = dots;
        _count++;
    }

    /// <summary>
    /// Sorts unsorted input (rejecting a repeated element), checks every dot against <paramref name="context"/> and
    /// for uniqueness, and builds the set. O(n) for sorted input besides the dot sort (see <see cref="DecodedDots"/>).
    /// </summary>
    /// <exception cref="JsonException">An element appears twice, a dot is outside the context or on two elements.</exception>
    public readonly ORSet<T> ToSet(CausalContext context)
    {
        if (!_ascending)
        {
            Array.Sort(_items, _dots, 0, _count, _comparer);
            for (int i = 1; i < _count; i++)
            {
                if (_comparer.Compare(_items[i - 1], _items[i]) == 0)
                {
                    throw new JsonException($"Not a valid OR-set: elements must be strictly increasing in the set's order; '{_items[i]}' appears twice.");
                }
            }
        }

        int leafCount = SortedTree<T, Dot[]>.LeafCountFor(_count);
        var leaves = new List<SortedTree<T, Dot[]>.Node>(leafCount);
        var leafItems = new T[leafCount][];
        var table = new ReplicaTable();
        using var collected = new DecodedDots(context, tableCount: 4);
        int begin = 0;
        for (int leaf = 0; leaf < leafCount; leaf++)
        {
            int end = SortedTree<T, Dot[]>.LeafEnd(_count, leafCount, leaf);
            T[] items = _items.AsSpan(begin, end - begin).ToArray();
            Dot[][] dots = _dots.AsSpan(begin, end - begin).ToArray();
            for (int k = 0; k < items.Length; k++)
            {
                int position = DecodedDots.Position(leaf, k);
                foreach (Dot dot in dots[k])
                {
                    int replica = table.IndexOf(dot.Replica);
                    collected.EnsureTable(table.Count);
                    if (!collected.InContext(replica, dot.Replica, dot.Counter))
                    {
                        throw new JsonException($"Not a valid OR-set: every element dot must be in the context; element '{items[k]}' has dot {dot}, which the context does not contain.");
                    }

                    collected.Add(replica, dot.Counter, position, offset: 0);
                }
            }

            leaves.Add(new SortedTree<T, Dot[]>.Leaf(items, dots));
            leafItems[leaf] = items;
            begin = end;
        }

        SortedTree<Dot, T> index = collected.TryBuildIndex(table.Ids, table.Count, table.Ascending, leafItems, out DecodedDots.Duplicated duplicate)
            ?? throw new JsonException($"Not a valid OR-set: dot {new Dot(duplicate.Replica, duplicate.Counter, trusted: true)} keeps two elements alive; a dot can keep only one element alive.");
        return ORSet<T>.FromTrees(SortedTree<T, Dot[]>.FromNodes(_comparer, leaves), index, context);
    }

    public void Dispose()
    {
        _items.AsSpan(0, _count).Clear();
        _dots.AsSpan(0, _count).Clear();
        ArrayPool<T>.Shared.Return(_items);
        ArrayPool<Dot[]>.Shared.Return(_dots);
        _items = [];
        _dots = [];
        _count = 0;
    }

    private void Grow()
    {
        T[] items = ArrayPool<T>.Shared.Rent(_count * 2);
        Dot[][] dots = ArrayPool<Dot[]>.Shared.Rent(_count * 2);
        _items.AsSpan(0, _count).CopyTo(items);
        _dots.AsSpan(0, _count).CopyTo(dots);
        _items.AsSpan(0, _count).Clear();
        _dots.AsSpan(0, _count).Clear();
        ArrayPool<T>.Shared.Return(_items);
        ArrayPool<Dot[]>.Shared.Return(_dots);
        _items = items;
        _dots = dots;
    }

    /// <summary>
    /// The distinct replicas of the dots in first-seen order (a replica table like a binary message's). JSON readers
    /// hand out one string instance per recently read replica, so a lookup is usually a reference match among the
    /// first few entries; other names go through an ordinal dictionary.
    /// </summary>
    private sealed class ReplicaTable
    {
        private const int ReferenceScan = 8;

        private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
        private ReplicaId[] _ids = new ReplicaId[4];

        /// <summary>Gets the entries (the first <see cref="Count"/> are set).</summary>
        public ReplicaId[] Ids => _ids;

        /// <summary>Gets the number of entries.</summary>
        public int Count { get; private set; }

        /// <summary>Gets whether the entries are in ascending replica order.</summary>
        public bool Ascending { get; private set; } = true;

        /// <summary>Returns the entry of <paramref name="replica"/>, adding it if it is new.</summary>
        public int IndexOf(ReplicaId replica)
        {
            string name = replica.Value;
            int scan = Math.Min(Count, ReferenceScan);
            for (int i = 0; i < scan; i++)
            {
                if (ReferenceEquals(_ids[i].Value, name))
                {
                    return i;
                }
            }

            if (_byName.TryGetValue(name, out int known))
            {
                return known;
            }

            if (Count == _ids.Length)
            {
                Array.Resize(ref _ids, Count * 2);
            }

            Ascending = Ascending && (Count == 0 || _ids[Count - 1].CompareTo(replica) < 0);
            _ids[Count] = replica;
            _byName.Add(name, Count);
            return Count++;
        }
    }
}
