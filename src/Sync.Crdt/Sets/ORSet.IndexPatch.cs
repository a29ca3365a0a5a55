using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Sets;

/// <content>Keeping the dot index in step with a full join of the entries.</content>
public sealed partial class ORSet<T>
{
    /// <summary>Up to this many index edits are applied leaf by leaf (<see cref="SortedTree{TKey, TValue}.ApplyFew"/>) rather than in a pass over every leaf.</summary>
    private const int FewEdits = 16;

    /// <summary>Orders index edits by dot.</summary>
    private static readonly Comparison<SortedTreeEdit<Dot, T>> ByDot = static (left, right) => left.Key.CompareTo(right.Key);

    /// <summary>
    /// Derives the joined dot index from the index of the join's primary input and the elements the join changed
    /// relative to it: the dots an element lost are removed, the dots it gained are added. O(L + c log c) for L
    /// index leaves and c changed dots, instead of a second O(n) join; the index stays exactly the inverse of the
    /// entries because it is computed from them.
    /// </summary>
    private static SortedTree<Dot, T> PatchIndex(SortedTree<Dot, T> primaryIndex, List<SortedTreeChange<T, Dot[]>> changes)
    {
        var edits = new List<SortedTreeEdit<Dot, T>>();
        foreach (SortedTreeChange<T, Dot[]> change in changes)
        {
            Dot[] before = change.HadBefore ? change.Before : [];
            Dot[] after = change.HasAfter ? change.After : [];
            foreach (Dot dot in before)
            {
                if (Array.BinarySearch(after, dot) < 0)
                {
                    edits.Add(new SortedTreeEdit<Dot, T>(dot, default!, IsRemoval: true));
                }
            }

            foreach (Dot dot in after)
            {
                if (Array.BinarySearch(before, dot) < 0)
                {
                    edits.Add(new SortedTreeEdit<Dot, T>(dot, change.Key, IsRemoval: false));
                }
            }
        }

        Span<SortedTreeEdit<Dot, T>> sorted = CollectionsMarshal.AsSpan(edits);
        sorted.Sort(ByDot);
        sorted = sorted[..Deduplicate(sorted)];

        // A few edits cost a path copy each; many are cheaper in one pass over all leaves.
        return sorted.Length <= FewEdits ? primaryIndex.ApplyFew(sorted) : primaryIndex.ApplySorted(sorted);
    }

    /// <summary>
    /// Collapses edits of one dot (only malformed input names a dot under two elements) to one, preferring an
    /// addition, so the edits are strictly increasing; returns the number kept at the front of <paramref name="sorted"/>.
    /// </summary>
    private static int Deduplicate(Span<SortedTreeEdit<Dot, T>> sorted)
    {
        int kept = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            if (kept > 0 && sorted[kept - 1].Key == sorted[i].Key)
            {
                if (sorted[kept - 1].IsRemoval)
                {
                    sorted[kept - 1] = sorted[i];
                }

                continue;
            }

            sorted[kept++] = sorted[i];
        }

        return kept;
    }
}
