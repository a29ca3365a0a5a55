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
        else
        {
            TKey[] keys = InsertAt(leaf.Keys, index, key);
            TValue[] values = InsertAt(leaf.Values, index, value);
            if (keys.Length <= LeafMax)
            {
                node = new Leaf(keys, values);
            }
            else
            {
                int half = keys.Length / 2;
                node = new Leaf(keys[..half], values[..half]);
                split = new Leaf(keys[half..], values[half..]);
            }
        }

        int added = location.Found ? 0 : 1;
        for (int level = location.Path.Depth - 1; level >= 0; level--)
        {
            node = ReplaceChild(location.Path.BranchAt(level), location.Path.ChildAt(level), node, split, added, Comparer, out split);
        }

        return split is null
            ? new SortedTree<TKey, TValue>(Comparer, node, Height)
            : new SortedTree<TKey, TValue>(Comparer, Branch.Create([node, split]), Height + 1);
    }

    /// <summary>Copies <paramref name="branch"/> with child <paramref name="at"/> replaced by <paramref name="child"/> and, after it, <paramref name="childSplit"/>; splits the copy when it overflows.</summary>
    private static Branch ReplaceChild(Branch branch, int at, Node child, Node? childSplit, int added, IComparer<TKey> comparer, out Node? split)
    {
        Node[] children = branch.Children;
        int count = branch.Count + added;
        if (childSplit is null)
        {
            var newChildren = (Node[])children.Clone();
            newChildren[at] = child;

            // A child's smallest key changes only when a key went below every low (into child 0).
            TKey[] lows = branch.Lows;
            if (at == 0 && CompareKeys(comparer, child.FirstKey, lows[0]) != 0)
            {
                lows = (TKey[])lows.Clone();
                lows[0] = child.FirstKey;
            }

            split = null;
            return new Branch(newChildren, lows, count);
        }

        Node[] grown = InsertAt(children, at + 1, childSplit);
        grown[at] = child;
        TKey[] grownLows = InsertAt(branch.Lows, at + 1, childSplit.FirstKey);
        grownLows[at] = child.FirstKey;
        if (grown.Length <= BranchMax)
        {
            split = null;
            return new Branch(grown, grownLows, count);
        }

        int half = grown.Length / 2;
        split = Branch.Create(grown[half..]);
        return Branch.Create(grown[..half]);
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
