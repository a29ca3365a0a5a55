using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Pruning;

namespace Sync.Crdt.Sets;

/// <content>Removed-replica pruning through <see cref="IReplicaPrunable{T}"/> (see docs/pruning.md).</content>
public sealed partial class ORSet<T> : IReplicaPrunable<ORSet<T>>
{
    /// <summary>Plans a prune from this (the owner's) context (<see cref="ReplicaPruning.Plan"/>). O(r + cloud).</summary>
    /// <param name="removed">The removed replica.</param>
    /// <param name="owner">The owner.</param>
    /// <returns>The plan; <see langword="null"/> when the context holds no event of <paramref name="removed"/>.</returns>
    /// <exception cref="System.InvalidOperationException">This copy has seen only part of the removed replica's events.</exception>
    public ReplicaPruning? PlanPruning(ReplicaId removed, ReplicaId owner) => ReplicaPruning.Plan(_context, removed, owner);

    /// <summary>
    /// Renames the removed replica's dots into the owner's reserved range (<see cref="ReplicaPruning.Map(Dot)"/>) in the
    /// elements and the context: the same elements, and removes, adds and merges decide exactly as before. O(n log n + r).
    /// </summary>
    /// <param name="pruning">The plan.</param>
    /// <returns>The pruned set; this instance when it holds nothing of the removed replica.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="pruning"/> is <see langword="null"/>.</exception>
    /// <exception cref="System.ArgumentException">The set holds a write of the removed replica beyond the plan.</exception>
    public ORSet<T> PruneReplica(ReplicaPruning pruning) => CleanUpPrunedReplica(pruning);

    /// <summary>The same renaming as <see cref="PruneReplica"/> (for a set, pruning and clean-up are one bijection). Idempotent.</summary>
    /// <param name="pruning">The owner's plan.</param>
    /// <returns>The cleaned set; this instance when it holds nothing of the removed replica.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="pruning"/> is <see langword="null"/>.</exception>
    /// <exception cref="System.ArgumentException">The set holds a write of the removed replica beyond the plan.</exception>
    public ORSet<T> CleanUpPrunedReplica(ReplicaPruning pruning)
    {
        System.ArgumentNullException.ThrowIfNull(pruning);
        return pruning.RenameDots(_context, DotEntries(), out CausalContext context) is { } entries ? Create(entries, context, Comparer) : this;
    }

    /// <summary>Every (dot, element) pair, element by element.</summary>
    private IEnumerable<KeyValuePair<Dot, T>> DotEntries()
    {
        foreach (KeyValuePair<T, Dot[]> entry in _entries)
        {
            foreach (Dot dot in entry.Value)
            {
                yield return new KeyValuePair<Dot, T>(dot, entry.Key);
            }
        }
    }
}
