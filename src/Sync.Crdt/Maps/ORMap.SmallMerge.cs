using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Maps;

/// <content>Merging a small state (a delta) into a large one in time proportional to the small one.</content>
public sealed partial class ORMap<TKey, TValue>
{
    /// <summary>A merge walks both states unless one is this many times lighter (see <see cref="Weight"/>).</summary>
    private const int SmallMergeFactor = 16;

    /// <summary>The work of visiting this state's keys and context dots one by one: its key count plus the number of dots its context covers (saturating).</summary>
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
    /// Joins <paramref name="small"/> into <paramref name="big"/> by point updates: O((e + d) log n) for the small side's e
    /// keys and d context dots. The keys a merge can change are those the small side holds, and those the big side holds
    /// by a dot the small side has seen (found through the dot index).
    /// </summary>
    private static (SortedTree<TKey, ORMapSlot> Entries, DotIndex<TKey> Index) MergeSmall(ORMap<TKey, TValue> big, ORMap<TKey, TValue> small)
    {
        SortedTree<TKey, ORMapSlot> entries = big._entries;
        SortedTree<Dot, TKey> bigIndex = big._index.Tree;
        var index = new DotIndex<TKey>(bigIndex);
        var joiner = new ORMapJoiner(big._context, small._context);

        foreach (KeyValuePair<TKey, ORMapSlot> entry in small._entries)
        {
            ORMapSlot? result;
            if (big._entries.TryGetValue(entry.Key, out ORMapSlot? bigSlot))
            {
                JoinOutcome outcome = joiner.Both(bigSlot, entry.Value, out ORMapSlot merged);
                result = outcome == JoinOutcome.Drop ? null : merged;
            }
            else
            {
                bigSlot = null;
                result = ORMapJoiner.Survivors(entry.Value, big._context);
            }

            Apply(ref entries, ref index, entry.Key, bigSlot, result);
        }

        List<TKey>? seen = null;
        foreach (Dot top in small._context.VersionVector)
        {
            SortedTree<Dot, TKey>.Enumerator scan = bigIndex.GetEnumerator(new Dot(top.Replica, 1, trusted: true));
            while (scan.MoveNext() && scan.CurrentKey.Replica == top.Replica && scan.CurrentKey.Counter <= top.Counter)
            {
                (seen ??= []).Add(scan.CurrentValue);
            }
        }

        foreach (Dot dot in small._context.DotCloud)
        {
            if (bigIndex.TryGetValue(dot, out TKey? key))
            {
                (seen ??= []).Add(key);
            }
        }

        if (seen is null)
        {
            return (entries, index);
        }

        IComparer<TKey> comparer = big.Comparer;
        seen.Sort(comparer);
        for (int i = 0; i < seen.Count; i++)
        {
            TKey key = seen[i];
            if ((i > 0 && comparer.Compare(seen[i - 1], key) == 0) || small._entries.ContainsKey(key))
            {
                continue; // a duplicate, or already joined above
            }

            big._entries.TryGetValue(key, out ORMapSlot? bigSlot);
            Apply(ref entries, ref index, key, bigSlot!, ORMapJoiner.Survivors(bigSlot!, small._context));
        }

        return (entries, index);
    }

    /// <summary>Replaces a key's slot <paramref name="before"/> by <paramref name="after"/> (<see langword="null"/>: remove it), keeping the index in step.</summary>
    private static void Apply(ref SortedTree<TKey, ORMapSlot> entries, ref DotIndex<TKey> index, TKey key, ORMapSlot? before, ORMapSlot? after)
    {
        if (ReferenceEquals(before, after) || (before is null && after is null))
        {
            return;
        }

        entries = after is null ? entries.Remove(key) : entries.SetItem(key, after);
        index = index.Replace(key, before?.Dots ?? [], after?.Dots ?? []);
    }

    /// <summary>Checks that the dot index matches the entries and every dot is in the context (tests); throws <see cref="InvalidOperationException"/> otherwise.</summary>
    internal void Validate()
    {
        _entries.Validate();
        SortedTree<Dot, TKey> index = _index.Tree;
        index.Validate();
        int dots = 0;
        foreach (KeyValuePair<TKey, ORMapSlot> entry in _entries)
        {
            foreach (Dot dot in entry.Value.Dots)
            {
                dots++;
                if (!index.TryGetValue(dot, out TKey? key) || Comparer.Compare(key, entry.Key) != 0 || !_context.Contains(dot))
                {
                    throw new InvalidOperationException($"Dot {dot} of {entry.Key} is missing from the index or the context.");
                }
            }
        }

        if (dots != index.Count)
        {
            throw new InvalidOperationException($"The index holds {dots} dots in entries but {index.Count} in the index.");
        }
    }
}
