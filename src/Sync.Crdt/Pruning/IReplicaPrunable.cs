using Sync.Crdt.Causality;

namespace Sync.Crdt.Pruning;

/// <summary>
/// A value whose per-replica entries a removed replica's prune can collapse into a surviving replica's (removed-replica
/// pruning; see docs/pruning.md). The replicator drives it: the owner plans and prunes, every other copy is cleaned up
/// with the owner's plan before it meets a pruned copy.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
/// <remarks>Implementations are pure functions of the value (immutable, thread-safe). Preconditions: see
/// <see cref="ReplicaPruning"/>.</remarks>
public interface IReplicaPrunable<T>
    where T : class
{
    /// <summary>Plans the prune of <paramref name="removed"/> into <paramref name="owner"/> for this value (the owner's copy).</summary>
    /// <param name="removed">The removed replica.</param>
    /// <param name="owner">The surviving replica performing the prune.</param>
    /// <returns>The plan; <see langword="null"/> when this value holds nothing of <paramref name="removed"/>.</returns>
    /// <exception cref="System.InvalidOperationException">This copy has not merged the removed replica's whole history.</exception>
    ReplicaPruning? PlanPruning(ReplicaId removed, ReplicaId owner);

    /// <summary>Prunes the owner's copy: the observable value is unchanged, the removed replica's entries are gone.</summary>
    /// <param name="pruning">The plan <see cref="PlanPruning"/> returned.</param>
    /// <returns>The pruned value; this instance when nothing changed.</returns>
    /// <exception cref="System.ArgumentException">The value holds writes of the removed replica beyond the plan.</exception>
    T PruneReplica(ReplicaPruning pruning);

    /// <summary>
    /// Cleans up any other copy (another replica's state, a stale delta or state arriving late) so that it joins the
    /// owner's pruned copy correctly. Idempotent: an already cleaned or pruned copy comes back unchanged.
    /// </summary>
    /// <param name="pruning">The owner's plan.</param>
    /// <returns>The cleaned value; this instance when nothing changed.</returns>
    /// <exception cref="System.ArgumentException">The value holds writes of the removed replica beyond the plan.</exception>
    T CleanUpPrunedReplica(ReplicaPruning pruning);
}
