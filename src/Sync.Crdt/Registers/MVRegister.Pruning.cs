using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Pruning;

namespace Sync.Crdt.Registers;

/// <content>Removed-replica pruning through <see cref="IReplicaPrunable{T}"/> (see docs/pruning.md).</content>
public sealed partial class MVRegister<T> : IReplicaPrunable<MVRegister<T>>
{
    /// <summary>Plans a prune from this (the owner's) context (<see cref="ReplicaPruning.Plan"/>). O(r + cloud).</summary>
    /// <param name="removed">The removed replica.</param>
    /// <param name="owner">The owner.</param>
    /// <returns>The plan; <see langword="null"/> when the context holds no event of <paramref name="removed"/>.</returns>
    /// <exception cref="System.InvalidOperationException">This copy has seen only part of the removed replica's events.</exception>
    public ReplicaPruning? PlanPruning(ReplicaId removed, ReplicaId owner) => ReplicaPruning.Plan(_context, removed, owner);

    /// <summary>Renames the removed replica's dots (siblings and context) into the owner's reserved range: the same siblings. O(s + r).</summary>
    /// <param name="pruning">The plan.</param>
    /// <returns>The pruned register; this instance when it holds nothing of the removed replica.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="pruning"/> is <see langword="null"/>.</exception>
    /// <exception cref="System.ArgumentException">The register holds a write of the removed replica beyond the plan.</exception>
    public MVRegister<T> PruneReplica(ReplicaPruning pruning) => CleanUpPrunedReplica(pruning);

    /// <summary>The same renaming as <see cref="PruneReplica"/>. Idempotent.</summary>
    /// <param name="pruning">The owner's plan.</param>
    /// <returns>The cleaned register; this instance when it holds nothing of the removed replica.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="pruning"/> is <see langword="null"/>.</exception>
    /// <exception cref="System.ArgumentException">The register holds a write of the removed replica beyond the plan.</exception>
    public MVRegister<T> CleanUpPrunedReplica(ReplicaPruning pruning)
    {
        System.ArgumentNullException.ThrowIfNull(pruning);
        return pruning.RenameDots(_context, Siblings(), out CausalContext context) is { } entries ? Create(entries, context) : this;
    }

    /// <summary>Every (dot, value) sibling.</summary>
    private IEnumerable<KeyValuePair<Dot, T>> Siblings()
    {
        for (int i = 0; i < _dots.Length; i++)
        {
            yield return new KeyValuePair<Dot, T>(_dots[i], _values[i]);
        }
    }
}
