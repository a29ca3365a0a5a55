using Sync.Crdt.Pruning;

namespace Sync.Crdt.Causality;

/// <content>Removed-replica pruning of a vector of events (see docs/pruning.md).</content>
public sealed partial class VersionVector
{
    /// <summary>
    /// Drops a removed replica's entry. Correct for a vector that summarizes which events a replica holds (a
    /// replicator's clock) once every live replica holds all of the removed replica's events: "holds all of them" is
    /// then common knowledge, and comparisons between live replicas' vectors do not change. O(n).
    /// </summary>
    /// <param name="removed">The removed replica.</param>
    /// <returns>The vector without its entry; this instance when it has none.</returns>
    /// <exception cref="System.ArgumentException"><paramref name="removed"/> is the default id.</exception>
    public VersionVector DropReplica(ReplicaId removed)
    {
        ReplicaId.ThrowIfDefault(removed, nameof(removed));
        return Without(removed);
    }
}
