using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Pruning;

namespace Sync.Crdt.Maps;

/// <content>Removed-replica pruning through <see cref="IReplicaPrunable{T}"/> (see docs/pruning.md).</content>
public sealed partial class ORMap<TKey, TValue> : IReplicaPrunable<ORMap<TKey, TValue>>
{
    /// <summary>Plans a prune from this (the owner's) context (<see cref="ReplicaPruning.Plan"/>). O(r + cloud).</summary>
    /// <param name="removed">The removed replica.</param>
    /// <param name="owner">The owner.</param>
    /// <returns>The plan; <see langword="null"/> when the context holds no event of <paramref name="removed"/>.</returns>
    /// <exception cref="System.InvalidOperationException">This copy has seen only part of the removed replica's events.</exception>
    public ReplicaPruning? PlanPruning(ReplicaId removed, ReplicaId owner) => ReplicaPruning.Plan(_context, removed, owner);

    /// <summary>
    /// Renames the removed replica's updates into the owner's reserved range: each dot <c>(removed, k)</c> becomes
    /// <c>(owner, Offset + k)</c> with incarnation <c>Offset + x</c>, so the nested id <c>removed#x</c> becomes
    /// <c>owner#(Offset + x)</c>, and nested values that implement <see cref="IReplicaPrunable{T}"/> are renamed the same
    /// way (nested counters, sets, registers and maps; last-writer-wins values keep their writer ids, which only break
    /// ties and do not grow with replicas). The same keys and values. O(n) when nothing mentions the removed replica,
    /// O(n log n + r) plus the nested renames otherwise.
    /// </summary>
    /// <param name="pruning">The plan.</param>
    /// <returns>The pruned map; this instance when it holds nothing of the removed replica.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="pruning"/> is <see langword="null"/>.</exception>
    /// <exception cref="System.ArgumentException">The map holds a write of the removed replica beyond the plan.</exception>
    public ORMap<TKey, TValue> PruneReplica(ReplicaPruning pruning) => CleanUpPrunedReplica(pruning);

    /// <summary>The same renaming as <see cref="PruneReplica"/> (for a map, pruning and clean-up are one bijection). Idempotent.</summary>
    /// <param name="pruning">The owner's plan.</param>
    /// <returns>The cleaned map; this instance when it holds nothing of the removed replica.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="pruning"/> is <see langword="null"/>.</exception>
    /// <exception cref="System.ArgumentException">The map holds a write of the removed replica beyond the plan.</exception>
    public ORMap<TKey, TValue> CleanUpPrunedReplica(ReplicaPruning pruning)
    {
        System.ArgumentNullException.ThrowIfNull(pruning);
        CausalContext context = pruning.Map(_context);
        bool changed = !ReferenceEquals(context, _context);
        var entries = new List<ORMapEntry<TKey, TValue>>(_entries.Count);
        foreach (ORMapEntry<TKey, TValue> entry in EnumerateEntries())
        {
            // A delta of another replica can carry nested values that mention the removed replica while its own
            // context does not: every nested value is looked at.
            long incarnation = entry.Dot.Replica == pruning.Removed ? pruning.Offset + entry.Incarnation : entry.Incarnation;
            TValue value = entry.Value is IReplicaPrunable<TValue> nested ? nested.CleanUpPrunedReplica(pruning) : entry.Value;
            Dot dot = pruning.Map(entry.Dot);
            changed |= !ReferenceEquals(value, entry.Value) || dot != entry.Dot;
            entries.Add(new ORMapEntry<TKey, TValue>(entry.Key, dot, incarnation, value));
        }

        return changed ? Create(entries, context, Comparer) : this;
    }
}
