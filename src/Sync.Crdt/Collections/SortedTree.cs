using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Sync.Crdt.Causality;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Collections;

/// <summary>
/// A persistent (immutable, path-copying) B+-tree map ordered by a deterministic comparer: the storage of the
/// set and map CRDTs.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
/// <remarks>
/// <para>Entries live in sorted, chunked leaves of up to <see cref="LeafMax"/> entries (two parallel arrays);
/// branches hold up to <see cref="BranchMax"/> children and each child's smallest key. Every operation copies
/// only the path it touches and shares the rest with the original tree, so old versions stay valid.</para>
/// <para>Complexity for n entries: lookup O(log n); <see cref="SetItem(TKey, TValue)"/> and <see cref="Remove"/> O(log n)
/// time and allocation (one leaf and one branch per level); in-order enumeration O(n) without allocation;
/// <see cref="FromSorted"/> O(n); <see cref="Join{TJoiner}(SortedTree{TKey, TValue}, TJoiner, int, int, out int)"/> O(n + m) comparisons at worst, skipping shared
/// leaves wholesale and reusing unchanged input leaves in its result.</para>
/// <para>Invariants: every leaf is non-empty; every branch except the root has at least <see cref="BranchMin"/>
/// children (so the height is at most 11 for <see cref="int.MaxValue"/> entries); all leaves are at depth
/// <see cref="Height"/>. Immutable and thread-safe.</para>
/// </remarks>
[Immutable]
internal sealed partial class SortedTree<TKey, TValue>
{
    /// <summary>The most entries in a leaf.</summary>
    internal const int LeafMax = 64;

    /// <summary>Below this many entries a leaf is merged with or refilled from a sibling on removal.</summary>
    internal const int LeafMin = 16;

    /// <summary>The entries per leaf when building from sorted input (room left for inserts).</summary>
    internal const int LeafFill = 48;

    /// <summary>The most children of a branch.</summary>
    internal const int BranchMax = 32;

    /// <summary>The fewest children of a non-root branch.</summary>
    internal const int BranchMin = 8;

    /// <summary>The children per branch when building from sorted input.</summary>
    internal const int BranchFill = 24;

    /// <summary>The greatest number of branch levels any tree can reach (the invariants bound it by 11).</summary>
    internal const int MaxHeight = 16;

    private SortedTree(IComparer<TKey> comparer, Node? root, int height)
    {
        Comparer = comparer;
        Root = root;
        Height = height;
    }

    /// <summary>Gets the key order.</summary>
    public IComparer<TKey> Comparer { get; }

    /// <summary>Gets the number of entries.</summary>
    public int Count => Root?.Count ?? 0;

    /// <summary>Gets the root node, or <see langword="null"/> when the tree is empty.</summary>
    internal Node? Root { get; }

    /// <summary>Gets the number of branch levels above the leaves (0 when the root is a leaf or the tree is empty).</summary>
    internal int Height { get; }

    /// <summary>Returns an empty tree ordered by <paramref name="comparer"/>.</summary>
    public static SortedTree<TKey, TValue> Empty(IComparer<TKey> comparer) => new(comparer, null, 0);

    /// <summary>Returns a tree holding exactly one entry.</summary>
    public static SortedTree<TKey, TValue> Single(IComparer<TKey> comparer, TKey key, TValue value) =>
        new(comparer, new Leaf([key], [value]), 0);

    /// <summary>
    /// Builds a tree from strictly increasing keys and their values in O(n); the caller guarantees the order
    /// (see <see cref="IsStrictlyIncreasing"/>).
    /// </summary>
    public static SortedTree<TKey, TValue> FromSorted(IComparer<TKey> comparer, ReadOnlySpan<TKey> keys, ReadOnlySpan<TValue> values)
    {
        if (keys.Length != values.Length)
        {
            throw new ArgumentException("Keys and values must have the same length.", nameof(values));
        }

        if (keys.Length == 0)
        {
            return Empty(comparer);
        }

        int leafCount = (keys.Length + LeafFill - 1) / LeafFill;
        var leaves = new List<Node>(leafCount);
        int start = 0;
        for (int i = 0; i < leafCount; i++)
        {
            // Even distribution: every leaf gets floor or ceiling of n / leafCount entries.
            int end = (int)((long)keys.Length * (i + 1) / leafCount);
            leaves.Add(new Leaf(keys[start..end].ToArray(), values[start..end].ToArray()));
            start = end;
        }

        return FromNodes(comparer, leaves);
    }

    /// <summary>Returns whether <paramref name="keys"/> is strictly increasing under <paramref name="comparer"/>.</summary>
    public static bool IsStrictlyIncreasing(IComparer<TKey> comparer, ReadOnlySpan<TKey> keys)
    {
        for (int i = 1; i < keys.Length; i++)
        {
            if (comparer.Compare(keys[i - 1], keys[i]) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Looks up <paramref name="key"/> in O(log n).</summary>
    public bool TryGetValue(TKey key, out TValue value)
    {
        Node? node = Root;
        if (node is null)
        {
            value = default!;
            return false;
        }

        IComparer<TKey> comparer = Comparer;
        while (node is Branch branch)
        {
            node = branch.Children[ChildIndex(branch.Lows, key, comparer)];
        }

        var leaf = (Leaf)node;
        int index = LeafIndex(leaf.Keys, key, comparer);
        if (index >= 0)
        {
            value = leaf.Values[index];
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Gets the greatest key in O(log n); <see langword="false"/> when the tree is empty.</summary>
    public bool TryGetLastKey(out TKey key)
    {
        Node? node = Root;
        if (node is null)
        {
            key = default!;
            return false;
        }

        while (node is Branch branch)
        {
            node = branch.Children[^1];
        }

        TKey[] keys = ((Leaf)node).Keys;
        key = keys[^1];
        return true;
    }

    /// <summary>Returns whether the tree holds <paramref name="key"/>.</summary>
    public bool ContainsKey(TKey key) => TryGetValue(key, out _);

    /// <summary>Returns a tree with <paramref name="key"/> mapped to <paramref name="value"/> (added or replaced), copying one path.</summary>
    public SortedTree<TKey, TValue> SetItem(TKey key, TValue value) => SetItem(key, value, out _, out _);

    /// <summary>Returns a tree with <paramref name="key"/> mapped to <paramref name="value"/>, and the value it replaced, in one descent.</summary>
    public SortedTree<TKey, TValue> SetItem(TKey key, TValue value, out bool existed, out TValue previous)
    {
        Location location = Locate(key);
        existed = location.Found;
        previous = location.Value;
        return SetAt(in location, key, value);
    }

    /// <summary>Returns a tree without <paramref name="key"/>; this instance when the key is absent.</summary>
    public SortedTree<TKey, TValue> Remove(TKey key)
    {
        if (Root is null)
        {
            return this;
        }

        Node? root = RemoveFrom(Root, key, Comparer, out bool removed);
        if (!removed)
        {
            return this;
        }

        int height = Height;
        while (root is Branch { Children.Length: 1 } single)
        {
            root = single.Children[0];
            height--;
        }

        return new SortedTree<TKey, TValue>(Comparer, root, root is null ? 0 : height);
    }

    /// <summary>Returns an allocation-free in-order enumerator over the entries.</summary>
    public Enumerator GetEnumerator() => new(this);

    /// <summary>Returns an allocation-free in-order enumerator starting at the first key not below <paramref name="from"/>, in O(log n).</summary>
    public Enumerator GetEnumerator(TKey from) => new(this, from);

    /// <summary>Returns whether both trees hold the same keys (by <paramref name="keyEquality"/>) with the same values, in O(n).</summary>
    public bool SequenceEqual(SortedTree<TKey, TValue> other, IEqualityComparer<TKey> keyEquality, IEqualityComparer<TValue> valueEquality)
    {
        if (ReferenceEquals(Root, other.Root))
        {
            return true;
        }

        if (Count != other.Count)
        {
            return false;
        }

        Enumerator left = GetEnumerator();
        Enumerator right = other.GetEnumerator();
        while (left.MoveNext())
        {
            right.MoveNext();
            if (!keyEquality.Equals(left.CurrentKey, right.CurrentKey) || !valueEquality.Equals(left.CurrentValue, right.CurrentValue))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Builds a tree over leaves (or nodes of one height) already in key order.</summary>
    internal static SortedTree<TKey, TValue> FromNodes(IComparer<TKey> comparer, List<Node> level)
    {
        if (level.Count == 0)
        {
            return Empty(comparer);
        }

        int height = 0;
        while (level.Count > 1)
        {
            int groups = (level.Count + BranchFill - 1) / BranchFill;
            var next = new List<Node>(groups);
            int start = 0;
            for (int i = 0; i < groups; i++)
            {
                int end = (int)((long)level.Count * (i + 1) / groups);
                next.Add(Branch.Create(level, start, end - start));
                start = end;
            }

            level = next;
            height++;
        }

        return new SortedTree<TKey, TValue>(comparer, level[0], height);
    }

    /// <summary>Creates a tree over a root the caller built (join results).</summary>
    internal static SortedTree<TKey, TValue> FromRoot(IComparer<TKey> comparer, Node? root, int height) => new(comparer, root, height);

    /// <summary>
    /// Compares two keys; calls ordinal string comparison and dot comparison directly (no interface dispatch) when
    /// the tree uses <see cref="StringComparer.Ordinal"/> or the default <see cref="Dot"/> order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int CompareKeys(IComparer<TKey> comparer, TKey left, TKey right)
    {
        if (typeof(TKey) == typeof(Dot))
        {
            if (ReferenceEquals(comparer, Comparer<Dot>.Default))
            {
                return Unsafe.As<TKey, Dot>(ref left).CompareTo(Unsafe.As<TKey, Dot>(ref right));
            }
        }
        else if (!typeof(TKey).IsValueType && ReferenceEquals(comparer, StringComparer.Ordinal))
        {
            // Only string implements IComparer<TKey> through StringComparer.Ordinal.
            return string.CompareOrdinal(Unsafe.As<TKey, string>(ref left), Unsafe.As<TKey, string>(ref right));
        }

        return comparer.Compare(left, right);
    }

    /// <summary>Returns the index of the child of a branch whose range holds <paramref name="key"/>.</summary>
    internal static int ChildIndex(TKey[] lows, TKey key, IComparer<TKey> comparer)
    {
        // The last child whose smallest key is <= key; keys below every low belong to the first child.
        int lo = 1;
        int hi = lows.Length - 1;
        int result = 0;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (CompareKeys(comparer, lows[mid], key) <= 0)
            {
                result = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return result;
    }

    /// <summary>Binary search in a leaf: the index of <paramref name="key"/>, or the complement of its insertion point.</summary>
    internal static int LeafIndex(TKey[] keys, TKey key, IComparer<TKey> comparer)
    {
        int lo = 0;
        int hi = keys.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = CompareKeys(comparer, keys[mid], key);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }
}
