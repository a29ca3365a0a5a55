using System;
using System.Collections.Generic;

namespace Sync.Crdt.Collections;

/// <content>Locating a key once, then writing there: a read-decide-write in one descent.</content>
internal sealed partial class SortedTree<TKey, TValue>
{
    /// <summary>
    /// Finds where <paramref name="key"/> is or would be, in O(log n) and without allocation, so a caller can
    /// inspect the current entry and then write with <see cref="SetAt"/> without descending again.
    /// </summary>
    public Location Locate(TKey key)
    {
        if (Root is null)
        {
            return default;
        }

        var path = new LeafCursor(Root, key, Comparer, out int index);
        TKey[] keys = path.Leaf!.Keys;
        bool found = index < keys.Length && CompareKeys(Comparer, keys[index], key) == 0;
        return new Location(path, index, found);
    }

    /// <summary>
    /// Returns a tree with <paramref name="key"/> mapped to <paramref name="value"/> at a location this tree's
    /// <see cref="Locate"/> returned for that key, copying only the path (O(log n) time and allocation).
    /// </summary>
    public SortedTree<TKey, TValue> SetAt(in Location location, TKey key, TValue value)
    {
        if (Root is null)
        {
            return Single(Comparer, key, value);
        }

        Leaf leaf = location.Path.Leaf!;
        int index = location.Index;
        Node node;
        Node? split = null;
        if (location.Found)
        {
            // Replace: the keys array is shared.
            var values = (TValue[])leaf.Values.Clone();
            values[index] = value;
            node = new Leaf(leaf.Keys, values);
        }
        else if (leaf.Keys.Length < LeafMax)
        {
            node = new Leaf(InsertAt(leaf.Keys, index, key), InsertAt(leaf.Values, index, value));
        }
        else
        {
            // A full leaf splits in two halves, written directly (no intermediate over-full arrays).
            int half = (leaf.Keys.Length + 1) / 2;
            (TKey[] leftKeys, TKey[] rightKeys) = InsertSplit(leaf.Keys, index, key, half);
            (TValue[] leftValues, TValue[] rightValues) = InsertSplit(leaf.Values, index, value, half);
            node = new Leaf(leftKeys, leftValues);
            split = new Leaf(rightKeys, rightValues);
        }

        return split is null
            ? ReplaceLeaf(in location, node, location.Found ? 0 : 1)
            : ReplaceLeaf(in location, [node, split], 1);
    }

    /// <summary>Returns a tree with the leaf at <paramref name="location"/> replaced by <paramref name="replacement"/> (same key range), copying the path.</summary>
    private SortedTree<TKey, TValue> ReplaceLeaf(in Location location, Node replacement, int countChange)
    {
        Node node = replacement;
        for (int level = location.Path.Depth - 1; level >= 0; level--)
        {
            node = ReplaceChild(location.Path.BranchAt(level), location.Path.ChildAt(level), node, countChange);
        }

        return new SortedTree<TKey, TValue>(Comparer, node, Height);
    }

    /// <summary>
    /// Returns a tree with the leaf at <paramref name="location"/> replaced by <paramref name="replacements"/>
    /// (one or more non-empty leaves of at most <see cref="LeafMax"/> entries, in key order, covering the same key
    /// range), copying the path and splitting branches that overflow. O(log n) time and allocation.
    /// </summary>
    private SortedTree<TKey, TValue> ReplaceLeaf(in Location location, Node[] replacements, int countChange)
    {
        Node[] nodes = replacements;
        for (int level = location.Path.Depth - 1; level >= 0; level--)
        {
            Branch branch = location.Path.BranchAt(level);
            int at = location.Path.ChildAt(level);
            nodes = nodes.Length == 1 ? [ReplaceChild(branch, at, nodes[0], countChange)] : ReplaceChild(branch, at, nodes, countChange);
        }

        int height = Height;
        while (nodes.Length > 1)
        {
            nodes = Group(nodes);
            height++;
        }

        return new SortedTree<TKey, TValue>(Comparer, nodes[0], height);
    }

    /// <summary>
    /// Copies <paramref name="branch"/> with child <paramref name="at"/> replaced by <paramref name="replacements"/>;
    /// returns the copy, or several evenly filled branches when it overflows.
    /// </summary>
    private static Node[] ReplaceChild(Branch branch, int at, Node[] replacements, int countChange)
    {
        Node[] children = branch.Children;
        var grown = new Node[children.Length - 1 + replacements.Length];
        Array.Copy(children, grown, at);
        replacements.CopyTo(grown, at);
        Array.Copy(children, at + 1, grown, at + replacements.Length, children.Length - at - 1);
        if (grown.Length > BranchMax)
        {
            return Group(grown);
        }

        var grownLows = new TKey[grown.Length];
        Array.Copy(branch.Lows, grownLows, at);
        for (int i = 0; i < replacements.Length; i++)
        {
            grownLows[at + i] = replacements[i].FirstKey;
        }

        Array.Copy(branch.Lows, at + 1, grownLows, at + replacements.Length, children.Length - at - 1);
        return [new Branch(grown, grownLows, branch.Count + countChange)];
    }

    /// <summary>Copies <paramref name="branch"/> with child <paramref name="at"/> replaced by <paramref name="child"/> (same key range).</summary>
    private static Branch ReplaceChild(Branch branch, int at, Node child, int countChange)
    {
        var children = (Node[])branch.Children.Clone();
        children[at] = child;
        TKey[] lows = branch.Lows;
        TKey first = child.FirstKey;
        if (!EqualityComparer<TKey>.Default.Equals(lows[at], first))
        {
            lows = (TKey[])lows.Clone();
            lows[at] = first;
        }

        return new Branch(children, lows, branch.Count + countChange);
    }

    /// <summary>Inserts <paramref name="item"/> at <paramref name="index"/> and splits the result after <paramref name="half"/> items, copying each item once.</summary>
    private static (T[] Left, T[] Right) InsertSplit<T>(T[] source, int index, T item, int half)
    {
        var left = new T[half];
        var right = new T[source.Length + 1 - half];
        if (index < half)
        {
            Array.Copy(source, left, index);
            left[index] = item;
            Array.Copy(source, index, left, index + 1, half - index - 1);
            Array.Copy(source, half - 1, right, 0, right.Length);
        }
        else
        {
            Array.Copy(source, left, half);
            Array.Copy(source, half, right, 0, index - half);
            right[index - half] = item;
            Array.Copy(source, index, right, index - half + 1, source.Length - index);
        }

        return (left, right);
    }

    /// <summary>Groups nodes of one height into the fewest evenly filled branches of at most <see cref="BranchMax"/> children.</summary>
    private static Node[] Group(Node[] nodes)
    {
        int groups = (nodes.Length + BranchMax - 1) / BranchMax;
        var result = new Node[groups];
        int start = 0;
        for (int i = 0; i < groups; i++)
        {
            int end = (int)((long)nodes.Length * (i + 1) / groups);
            result[i] = Branch.Create(nodes[start..end]);
            start = end;
        }

        return result;
    }

    /// <summary>Where a key is or would be in one tree: the path to its leaf and its index there.</summary>
    internal readonly struct Location
    {
        internal Location(LeafCursor path, int index, bool found)
        {
            Path = path;
            Index = index;
            Found = found;
        }

        /// <summary>Gets a value indicating whether the tree holds the key.</summary>
        public bool Found { get; }

        /// <summary>Gets the key's value, or <see langword="default"/> when <see cref="Found"/> is <see langword="false"/>.</summary>
        public TValue Value => Found ? Path.Leaf!.Values[Index] : default!;

        /// <summary>Gets the path from the root to the key's leaf.</summary>
        internal LeafCursor Path { get; }

        /// <summary>Gets the key's index in its leaf, or where it would be inserted.</summary>
        internal int Index { get; }
    }
}
