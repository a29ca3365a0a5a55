using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Sets;

/// <summary>
/// The dot index of an <see cref="ORSet{T}"/> (which element each dot keeps alive), with its latest edits held
/// back in a short pending list so a single add or remove does not copy a path of the index tree.
/// </summary>
/// <remarks>
/// <para>Writes (<see cref="Set"/>, <see cref="Remove"/>) allocate one small list node in O(1); once
/// <see cref="PendingLimit"/> edits are pending they are folded into the tree with
/// <see cref="SortedTree{TKey, TValue}.ApplyFew"/>, where a replica's consecutive dots land in one leaf and cost one
/// path copy together. Reads go through <see cref="Tree"/>, which folds the pending edits (O(p log n) for p
/// pending; at most <see cref="PendingLimit"/>) once per instance and is called by merges, which are O(log n) or
/// more anyway.</para>
/// <para>Immutable (its one writable field caches a pure function of the others) and thread-safe.</para>
/// </remarks>
/// <typeparam name="T">The element type.</typeparam>
[Immutable]
internal sealed class DotIndex<T>
{
    /// <summary>The most edits held back before they are folded into the tree.</summary>
    internal const int PendingLimit = 32;

    /// <summary>Up to this many edits of a <see cref="Patch"/> are applied leaf by leaf rather than in a pass over every leaf.</summary>
    private const int FewEdits = 16;

    private static readonly Comparison<SortedTreeEdit<Dot, T>> ByDot = static (left, right) => left.Key.CompareTo(right.Key);

    private readonly SortedTree<Dot, T> _tree;
    private readonly PendingEdit? _pending;

    // The folded tree, computed on first read. A benign race: concurrent readers may each fold, and every result
    // is the same tree, so whichever reference is stored is correct; the observable value never changes.
    private SortedTree<Dot, T>? _folded;

    public DotIndex(SortedTree<Dot, T> tree)
        : this(tree, null)
    {
    }

    private DotIndex(SortedTree<Dot, T> tree, PendingEdit? pending)
    {
        _tree = tree;
        _pending = pending;
    }

    /// <summary>Gets the empty index.</summary>
    public static DotIndex<T> Empty { get; } = new(SortedTree<Dot, T>.Empty(Comparer<Dot>.Default));

    /// <summary>Gets the index as one tree, with every pending edit applied (folded once per instance).</summary>
    public SortedTree<Dot, T> Tree => _pending is null ? _tree : _folded ??= Fold(_tree, _pending);

    /// <summary>Returns the index with <paramref name="dot"/> keeping <paramref name="item"/> alive.</summary>
    public DotIndex<T> Set(Dot dot, T item) => Append(new SortedTreeEdit<Dot, T>(dot, item, IsRemoval: false));

    /// <summary>Returns the index without <paramref name="dot"/>.</summary>
    public DotIndex<T> Remove(Dot dot) => Append(new SortedTreeEdit<Dot, T>(dot, default!, IsRemoval: true));

    /// <summary>
    /// Returns the index with <paramref name="item"/>'s dots changed from <paramref name="before"/> to
    /// <paramref name="after"/> (both sorted; empty for none): the dots it lost removed, the dots it gained added.
    /// O(b + a) appended edits.
    /// </summary>
    public DotIndex<T> Replace(T item, Dot[] before, Dot[] after)
    {
        DotIndex<T> index = this;
        foreach (Dot dot in before)
        {
            if (Array.BinarySearch(after, dot) < 0)
            {
                index = index.Remove(dot);
            }
        }

        foreach (Dot dot in after)
        {
            if (Array.BinarySearch(before, dot) < 0)
            {
                index = index.Set(dot, item);
            }
        }

        return index;
    }

    /// <summary>
    /// Derives the index of a full join of the entries from this index (the join's primary input's) and the elements
    /// the join changed relative to that input: each element's lost dots removed, gained dots added. O(L + c log c)
    /// for L index leaves and c changed dots (or one path copy per edit for up to <see cref="FewEdits"/> edits),
    /// instead of a second O(n) join; the index stays exactly the inverse of the entries because it is computed
    /// from them.
    /// </summary>
    public DotIndex<T> Patch(List<SortedTreeChange<T, Dot[]>> changes)
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
        sorted = sorted[..PreferAdditions(sorted)];

        // A few edits cost a path copy each; many are cheaper in one pass over all leaves.
        SortedTree<Dot, T> tree = Tree;
        return new DotIndex<T>(sorted.Length <= FewEdits ? tree.ApplyFew(sorted) : tree.ApplySorted(sorted));
    }

    /// <summary>
    /// Collapses sorted edits of one dot (only malformed input names a dot under two elements) to one, preferring an
    /// addition, so the edits are strictly increasing; returns the number kept at the front of <paramref name="sorted"/>.
    /// </summary>
    private static int PreferAdditions(Span<SortedTreeEdit<Dot, T>> sorted)
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

    private DotIndex<T> Append(SortedTreeEdit<Dot, T> edit)
    {
        var pending = new PendingEdit(edit, _pending);
        return pending.Length < PendingLimit ? new DotIndex<T>(_tree, pending) : new DotIndex<T>(Fold(_tree, pending));
    }

    /// <summary>Applies pending edits (listed newest first; the newest edit of a dot wins) to the tree.</summary>
    private static SortedTree<Dot, T> Fold(SortedTree<Dot, T> tree, PendingEdit newest)
    {
        // Newest first, keeping only the newest edit of each dot (p is small, so a linear check is cheapest).
        var edits = new SortedTreeEdit<Dot, T>[newest.Length];
        int kept = 0;
        for (PendingEdit? node = newest; node is not null; node = node.Next)
        {
            if (!Holds(edits.AsSpan(0, kept), node.Edit.Key))
            {
                edits[kept++] = node.Edit;
            }
        }

        Span<SortedTreeEdit<Dot, T>> sorted = edits.AsSpan(0, kept);
        sorted.Sort(ByDot);
        return tree.ApplyFew(sorted);
    }

    private static bool Holds(ReadOnlySpan<SortedTreeEdit<Dot, T>> edits, Dot dot)
    {
        foreach (SortedTreeEdit<Dot, T> edit in edits)
        {
            if (edit.Key == dot)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An immutable list node of pending edits, newest first.</summary>
    private sealed class PendingEdit
    {
        public PendingEdit(SortedTreeEdit<Dot, T> edit, PendingEdit? next)
        {
            Edit = edit;
            Next = next;
            Length = (next?.Length ?? 0) + 1;
        }

        public SortedTreeEdit<Dot, T> Edit { get; }

        public PendingEdit? Next { get; }

        public int Length { get; }
    }
}
