using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Sets;

/// <content>Merging a small state (a delta) into a large one in time proportional to the small one.</content>
public sealed partial class ORSet<T>
{
    /// <summary>A merge walks both states unless one is this many times lighter (see <see cref="Weight"/>).</summary>
    private const int SmallMergeFactor = 16;

    /// <summary>
    /// The work of visiting this state's elements and context dots one by one: its element count plus the number
    /// of dots its context covers (saturating).
    /// </summary>
    private long Weight()
    {
        long weight = _entries.Count + _context.DotCloud.Length;
        foreach (Dot top in _context.VersionVector)
        {
            weight += top.Counter;
            if (weight > int.MaxValue)
            {
                return int.MaxValue;
            }
        }

        return weight;
    }

    /// <summary>
    /// Joins <paramref name="small"/> into <paramref name="big"/> by point updates: O((e + d) log n) for the small
    /// side's e elements and d context dots, instead of O(n). The elements a merge can change are those the small
    /// side holds, and those the big side holds by a dot the small side has seen (found through the dot index).
    /// </summary>
    private static (SortedTree<T, Dot[]> Entries, DotIndex<T> Index) MergeSmall(ORSet<T> big, ORSet<T> small)
    {
        SortedTree<T, Dot[]> entries = big._entries;
        // Reads need the index as one tree; the result carries that tree on, so the fold is not repeated.
        SortedTree<Dot, T> bigIndex = big._index.Tree;
        var index = new DotIndex<T>(bigIndex);
        CausalContext bigContext = big._context;
        CausalContext smallContext = small._context;

        foreach (KeyValuePair<T, Dot[]> entry in small._entries)
        {
            Dot[] result;
            if (big._entries.TryGetValue(entry.Key, out Dot[]? bigDots))
            {
                result = ElementDots.SequenceEqual(bigDots, entry.Value) ? bigDots : ElementDots.Join(bigDots, bigContext, entry.Value, smallContext);
            }
            else
            {
                bigDots = null;
                result = ElementDots.Unseen(entry.Value, bigContext) ?? [];
            }

            Apply(ref entries, ref index, entry.Key, bigDots, result);
        }

        List<T>? seen = null;
        foreach (Dot top in smallContext.VersionVector)
        {
            SortedTree<Dot, T>.Enumerator scan = bigIndex.GetEnumerator(new Dot(top.Replica, 1, trusted: true));
            while (scan.MoveNext() && scan.CurrentKey.Replica == top.Replica && scan.CurrentKey.Counter <= top.Counter)
            {
                (seen ??= []).Add(scan.CurrentValue);
            }
        }

        foreach (Dot dot in smallContext.DotCloud)
        {
            if (bigIndex.TryGetValue(dot, out T? item))
            {
                (seen ??= []).Add(item);
            }
        }

        if (seen is null)
        {
            return (entries, index);
        }

        IComparer<T> comparer = big.Comparer;
        seen.Sort(comparer);
        for (int i = 0; i < seen.Count; i++)
        {
            T item = seen[i];
            if ((i > 0 && comparer.Compare(seen[i - 1], item) == 0) || small._entries.ContainsKey(item))
            {
                continue; // a duplicate, or already joined above
            }

            big._entries.TryGetValue(item, out Dot[]? bigDots);
            Apply(ref entries, ref index, item, bigDots!, ElementDots.Unseen(bigDots!, smallContext) ?? []);
        }

        return (entries, index);
    }

    /// <summary>Replaces an element's dots <paramref name="before"/> by <paramref name="after"/> (empty: remove it), keeping the index in step.</summary>
    private static void Apply(ref SortedTree<T, Dot[]> entries, ref DotIndex<T> index, T item, Dot[]? before, Dot[] after)
    {
        if (before is not null && ElementDots.SequenceEqual(before, after))
        {
            return;
        }

        if (after.Length == 0 && before is null)
        {
            return;
        }

        entries = after.Length == 0 ? entries.Remove(item) : entries.SetItem(item, after);
        index = index.Replace(item, before ?? [], after);
    }

    /// <summary>Checks that the dot index matches the entries and every dot is in the context (tests); throws <see cref="InvalidOperationException"/> otherwise.</summary>
    internal void Validate()
    {
        _entries.Validate();
        SortedTree<Dot, T> index = _index.Tree;
        index.Validate();
        int dots = 0;
        foreach (KeyValuePair<T, Dot[]> entry in _entries)
        {
            foreach (Dot dot in entry.Value)
            {
                dots++;
                if (!index.TryGetValue(dot, out T? item) || Comparer.Compare(item, entry.Key) != 0 || !_context.Contains(dot))
                {
                    throw new InvalidOperationException($"Dot {dot} of {entry.Key} is missing from the index or the context.");
                }
            }
        }

        if (dots != index.Count)
        {
            throw new InvalidOperationException($"The index holds {index.Count} dots, the entries {dots}.");
        }
    }
}
