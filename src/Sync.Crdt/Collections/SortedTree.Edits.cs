using System;
using System.Collections.Generic;

namespace Sync.Crdt.Collections;

/// <content>Batches of edits in key order.</content>
internal sealed partial class SortedTree<TKey, TValue>
{
    /// <summary>
    /// Applies edits in strictly increasing key order in one pass over the leaves: O(L + k) for L leaves and k
    /// edits, instead of O(k log n) separate path copies. Leaves no edit touches are reused as they are, so the
    /// result allocates only the touched leaves and the branch levels above the leaves.
    /// </summary>
    /// <param name="edits">The edits, keys strictly increasing under <see cref="Comparer"/> (the caller guarantees it).</param>
    /// <returns>The edited tree; this instance when <paramref name="edits"/> is empty.</returns>
    public SortedTree<TKey, TValue> ApplySorted(ReadOnlySpan<SortedTreeEdit<TKey, TValue>> edits)
    {
        if (edits.IsEmpty)
        {
            return this;
        }

        IComparer<TKey> comparer = Comparer;
        var writer = new LeafWriter(Count + edits.Length);
        int e = 0;
        for (var cursor = new LeafCursor(Root); cursor.Leaf is not null; cursor.MoveNextLeaf())
        {
            Leaf leaf = cursor.Leaf;
            TKey[] keys = leaf.Keys;
            writer.BeginPrimaryLeaf(leaf);
            if (e == edits.Length || CompareKeys(comparer, edits[e].Key, keys[^1]) > 0)
            {
                writer.EmitPrimaryRange(leaf, 0, keys.Length);
                continue;
            }

            int i = 0;
            while (i < keys.Length)
            {
                int c = e < edits.Length ? CompareKeys(comparer, edits[e].Key, keys[i]) : 1;
                if (c > 0)
                {
                    writer.EmitPrimary(leaf, i++);
                    continue;
                }

                if (!edits[e].IsRemoval)
                {
                    writer.Emit(edits[e].Key, edits[e].Value);
                }

                e++;
                if (c == 0)
                {
                    i++;
                }
            }
        }

        for (; e < edits.Length; e++)
        {
            if (!edits[e].IsRemoval)
            {
                writer.Emit(edits[e].Key, edits[e].Value);
            }
        }

        return FromNodes(comparer, writer.Finish());
    }

    /// <summary>
    /// Applies a few edits in strictly increasing key order, rewriting each touched leaf once: O(g log n) for the
    /// g leaves the edits fall in, so a batch of neighbouring keys costs one path copy. Prefer
    /// <see cref="ApplySorted"/> when the edits touch a large part of the tree.
    /// </summary>
    /// <param name="edits">The edits, keys strictly increasing under <see cref="Comparer"/> (the caller guarantees it).</param>
    /// <returns>The edited tree; this instance when no edit changes it.</returns>
    public SortedTree<TKey, TValue> ApplyFew(ReadOnlySpan<SortedTreeEdit<TKey, TValue>> edits)
    {
        SortedTree<TKey, TValue> tree = this;
        IComparer<TKey> comparer = Comparer;
        int i = 0;
        while (i < edits.Length)
        {
            if (tree.Root is null)
            {
                return tree.ApplySorted(edits[i..]);
            }

            Location location = tree.Locate(edits[i].Key);
            int end = i + 1;
            if (UpperBound(in location, out TKey upper))
            {
                while (end < edits.Length && CompareKeys(comparer, edits[end].Key, upper) < 0)
                {
                    end++;
                }
            }
            else
            {
                end = edits.Length;
            }

            Leaf leaf = location.Path.Leaf!;
            Node[]? replacements = EditLeaf(leaf, edits[i..end], comparer, out int countChange);
            if (replacements is null)
            {
                // Every entry of the leaf removed: let the single-key removal rebalance the tree.
                foreach (SortedTreeEdit<TKey, TValue> edit in edits[i..end])
                {
                    tree = edit.IsRemoval ? tree.Remove(edit.Key) : tree.SetItem(edit.Key, edit.Value);
                }
            }
            else if (replacements.Length > 1)
            {
                tree = tree.ReplaceLeaf(in location, replacements, countChange);
            }
            else if (!ReferenceEquals(replacements[0], leaf))
            {
                tree = tree.ReplaceLeaf(in location, replacements[0], countChange);
            }

            i = end;
        }

        return tree;
    }

    /// <summary>Gets the smallest key of the leaf after the located one, if there is one.</summary>
    private static bool UpperBound(in Location location, out TKey upper)
    {
        for (int level = location.Path.Depth - 1; level >= 0; level--)
        {
            Branch branch = location.Path.BranchAt(level);
            int next = location.Path.ChildAt(level) + 1;
            if (next < branch.Children.Length)
            {
                upper = branch.Lows[next];
                return true;
            }
        }

        upper = default!;
        return false;
    }

    /// <summary>
    /// Merges sorted edits into one leaf: the leaf itself when nothing changes, one or more evenly filled leaves
    /// otherwise, or <see langword="null"/> when every entry is removed.
    /// </summary>
    private static Node[]? EditLeaf(Leaf leaf, ReadOnlySpan<SortedTreeEdit<TKey, TValue>> edits, IComparer<TKey> comparer, out int countChange)
    {
        TKey[] keys = leaf.Keys;
        TValue[] values = leaf.Values;

        // First pass: the size of the result, and whether anything changes.
        int count = keys.Length;
        bool changed = false;
        for (int i = 0, e = 0; e < edits.Length;)
        {
            int c = i == keys.Length ? -1 : CompareKeys(comparer, edits[e].Key, keys[i]);
            if (c > 0)
            {
                i++;
                continue;
            }

            bool removal = edits[e++].IsRemoval;
            changed |= !removal || c == 0;
            count += c == 0 ? (removal ? -1 : 0) : (removal ? 0 : 1);
            if (c == 0)
            {
                i++;
            }
        }

        countChange = count - keys.Length;
        if (!changed)
        {
            return [leaf];
        }

        if (count == 0)
        {
            return null;
        }

        // Second pass: write the result into exactly sized arrays.
        var outKeys = new TKey[count];
        var outValues = new TValue[count];
        int n = 0;
        for (int i = 0, e = 0; i < keys.Length || e < edits.Length;)
        {
            int c = e == edits.Length ? 1 : i == keys.Length ? -1 : CompareKeys(comparer, edits[e].Key, keys[i]);
            if (c > 0)
            {
                outKeys[n] = keys[i];
                outValues[n++] = values[i++];
                continue;
            }

            SortedTreeEdit<TKey, TValue> edit = edits[e++];
            if (c == 0)
            {
                i++;
            }

            if (!edit.IsRemoval)
            {
                outKeys[n] = edit.Key;
                outValues[n++] = edit.Value;
            }
        }

        if (count <= LeafMax)
        {
            return [new Leaf(outKeys, outValues)];
        }

        int parts = (count + LeafMax - 1) / LeafMax;
        var result = new Node[parts];
        int start = 0;
        for (int p = 0; p < parts; p++)
        {
            int end = (int)((long)count * (p + 1) / parts);
            result[p] = new Leaf(outKeys[start..end], outValues[start..end]);
            start = end;
        }

        return result;
    }
}
