using System;
using System.Collections.Generic;
using System.Globalization;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Maps;

/// <content>Which replicas a state's updates and nested values come from (<see cref="IWriterAttribution{TSelf}"/>).</content>
public sealed partial class ORMap<TKey, TValue> : IWriterAttribution<ORMap<TKey, TValue>>
{
    /// <summary>
    /// Adds the replica of every update of this map's context that <paramref name="known"/>'s context lacks, and the
    /// writers of nested information this map's values carry beyond <paramref name="known"/>'s value of the key.
    /// </summary>
    /// <param name="known">The map to compare with; <see langword="null"/> means the empty map.</param>
    /// <param name="writers">Receives the replicas.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writers"/> is <see langword="null"/>.</exception>
    /// <remarks>
    /// <para>Nested values are written under <c>replica#n</c> (see the type's remarks); a nested writer of that form is
    /// reported as <c>replica</c>, and any other nested writer as itself. Nested information of another replica's
    /// lineage <c>r#n</c> is vouched for, and not reported, when <paramref name="known"/> has seen the update
    /// <c>(r, n)</c> that started the lineage but no longer holds that lineage under the key (it was removed or
    /// replaced there, so the nested state cannot be compared any more); an update that re-adds such a key carries
    /// that history legitimately.</para>
    /// <para>An update whose dot <paramref name="known"/> has seen but no longer holds is discarded by the merge and
    /// contributes nothing. Nested values of a type that does not implement <see cref="IWriterAttribution{TSelf}"/> are
    /// attributed as a whole to the replica of the update that carries them, when they add anything.</para>
    /// <para>O(c log m) for the contexts plus, per key of this map, the nested attribution of each of its updates.</para>
    /// </remarks>
    public void CollectNewWriters(ORMap<TKey, TValue>? known, ISet<ReplicaId> writers)
    {
        ArgumentNullException.ThrowIfNull(writers);
        _context.CollectNewWriters(known?._context, writers);
        HashSet<ReplicaId>? nested = null;
        SortedTree<TKey, ORMapSlot>.Enumerator entries = _entries.GetEnumerator();
        while (entries.MoveNext())
        {
            var slot = (ORMapSlot<TValue>)entries.CurrentValue;
            ORMapSlot<TValue>? held = null;
            if (known is not null && known._entries.TryGetValue(entries.CurrentKey, out ORMapSlot? heldSlot))
            {
                held = (ORMapSlot<TValue>)heldSlot;
            }

            for (int i = 0; i < slot.Dots.Length; i++)
            {
                Dot dot = slot.Dots[i];
                if (known is not null && known._context.Contains(dot) && (held is null || Array.BinarySearch(held.Dots, dot) < 0))
                {
                    continue;
                }

                TValue reference = held?.Value ?? TValue.Empty;
                TValue value = slot.Values[i];
                if (value is not IWriterAttribution<TValue> attributed)
                {
                    if (!ReferenceEquals(reference.Merge(value), reference))
                    {
                        writers.Add(dot.Replica);
                    }

                    continue;
                }

                nested ??= [];
                nested.Clear();
                attributed.CollectNewWriters(held?.Value, nested);
                foreach (ReplicaId writer in nested)
                {
                    if (!TryParseWriter(writer, out ReplicaId replica, out long incarnation))
                    {
                        writers.Add(writer);
                    }
                    else if (!Vouched(known, held, replica, incarnation))
                    {
                        writers.Add(replica);
                    }
                }
            }
        }
    }

    /// <summary>Whether <paramref name="known"/> saw the update that started lineage <c>replica#incarnation</c> and no
    /// longer holds that lineage under the key (so its nested state cannot be compared).</summary>
    private static bool Vouched(ORMap<TKey, TValue>? known, ORMapSlot<TValue>? held, ReplicaId replica, long incarnation)
    {
        if (known is null || !known._context.Contains(new Dot(replica, incarnation)))
        {
            return false;
        }

        if (held is not null)
        {
            for (int i = 0; i < held.Dots.Length; i++)
            {
                if (held.Dots[i].Replica == replica && held.Incarnations[i] == incarnation)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Splits a nested writer id <c>replica#n</c> (see <see cref="ORMapSlot.Writer"/>).</summary>
    private static bool TryParseWriter(ReplicaId writer, out ReplicaId replica, out long incarnation)
    {
        string value = writer.Value;
        int hash = value.LastIndexOf('#');
        replica = default;
        incarnation = 0;
        if (hash <= 0 || hash == value.Length - 1
            || !long.TryParse(value.AsSpan(hash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out incarnation)
            || incarnation < 1
            || !ReplicaId.TryParse(value[..hash], out replica))
        {
            return false;
        }

        return true;
    }
}
