using Sync.Crdt.Causality;
using Sync.Crdt.Pruning;

namespace Sync.Crdt.Counters;

/// <content>Removed-replica pruning through <see cref="IReplicaPrunable{T}"/> (see docs/pruning.md).</content>
public sealed partial class PNCounter : IReplicaPrunable<PNCounter>
{
    /// <summary>Plans a prune (both halves fold; see <see cref="GCounter.PlanPruning"/>). O(n).</summary>
    /// <param name="removed">The removed replica.</param>
    /// <param name="owner">The owner.</param>
    /// <returns>The plan; <see langword="null"/> when neither half mentions <paramref name="removed"/>.</returns>
    public ReplicaPruning? PlanPruning(ReplicaId removed, ReplicaId owner) =>
        _increments.PlanPruning(removed, owner) ?? _decrements.PlanPruning(removed, owner);

    /// <summary>At the owner: folds both halves (see <see cref="GCounter.PruneReplica(ReplicaPruning)"/>). The value is unchanged. O(n).</summary>
    /// <param name="pruning">The plan.</param>
    /// <returns>The pruned counter; this instance when nothing changed.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="pruning"/> is <see langword="null"/>.</exception>
    /// <exception cref="System.OverflowException">An owner's count would exceed <see cref="long.MaxValue"/>.</exception>
    public PNCounter PruneReplica(ReplicaPruning pruning) =>
        With(_increments.PruneReplica(pruning), _decrements.PruneReplica(pruning));

    /// <summary>Anywhere else: drops both entries and renames nested ids (see <see cref="GCounter.CleanUpPrunedReplica"/>). O(n).</summary>
    /// <param name="pruning">The owner's plan.</param>
    /// <returns>The cleaned counter; this instance when nothing changed.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="pruning"/> is <see langword="null"/>.</exception>
    public PNCounter CleanUpPrunedReplica(ReplicaPruning pruning) =>
        With(_increments.CleanUpPrunedReplica(pruning), _decrements.CleanUpPrunedReplica(pruning));

    private PNCounter With(GCounter increments, GCounter decrements) =>
        ReferenceEquals(increments, _increments) && ReferenceEquals(decrements, _decrements) ? this : new PNCounter(increments, decrements);
}
