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
}
