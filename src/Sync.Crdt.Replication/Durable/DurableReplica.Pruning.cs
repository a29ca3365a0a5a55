using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <content>
/// Removed-replica pruning (docs/pruning.md) with the same commit discipline as every other change: the prune and the
/// retirement of its marker apply in memory at once and complete their tasks only once their log entries are committed;
/// the frames that carry them wait in the pump until then; a failed commit rolls them back with everything queued behind it.
/// </content>
public sealed partial class DurableReplica
{
    /// <summary>
    /// Gets the removed replicas this replica refuses and cleans up after (see <see cref="DeltaReplicator.PrunedReplicas"/>).
    /// Thread-safe.
    /// </summary>
    public IReadOnlyList<ReplicaId> PrunedReplicas => _replicator.PrunedReplicas;

    /// <summary>
    /// Prunes a removed replica with this replica as the owner (<see cref="DeltaReplicator.PruneRemovedReplica"/>): its
    /// counts fold into this replica's entries, its dots are renamed, its vector entry goes and a marker joins the pruning
    /// table. The task completes once the prune's log entry is committed; until then no frame that reflects it leaves, and
    /// after a restart the replica reopens pruned.
    /// </summary>
    /// <param name="removed">The removed replica (call <see cref="RemovePeerAsync"/> for it first, on every live replica).</param>
    /// <param name="cancellationToken">Cancels waiting for the replica's lock; once applied, the prune is not canceled.</param>
    /// <returns>A task that completes once the prune is durable.</returns>
    /// <remarks>Preconditions and cost: those of <see cref="DeltaReplicator.PruneRemovedReplica"/> (one owner per removed
    /// replica; every peer acknowledged the removed replica's last state). The encoded formats must include
    /// <c>ORSet&lt;string&gt;</c> (the pruning table's type). Thread-safe.</remarks>
    /// <exception cref="System.ArgumentException"><paramref name="removed"/> is the default id or this replica's own.</exception>
    /// <exception cref="System.InvalidOperationException">A precondition does not hold; nothing changed.</exception>
    /// <exception cref="Sync.Crdt.Replication.Storage.DocumentStoreException">The commit failed; the prune was rolled back in
    /// memory (a retry then waits for the peers to acknowledge the removed replica's last state again: run a sync round).</exception>
    /// <exception cref="System.ObjectDisposedException">The replica was closed.</exception>
    public Task PruneRemovedReplicaAsync(ReplicaId removed, CancellationToken cancellationToken = default) =>
        ChangeAsync(removed, static (replicator, r) => (0, (DeltaLogEntry?)replicator.PruneRemovedReplica(r)), cancellationToken);

    /// <summary>
    /// At a prune's owner: retires the markers every peer has acknowledged
    /// (<see cref="DeltaReplicator.RetireAcknowledgedPruningMarkers"/>); the task completes once their log entries are
    /// committed. Call it after sync rounds.
    /// </summary>
    /// <param name="cancellationToken">Cancels waiting for the replica's lock.</param>
    /// <returns>The number of markers retired (0 when none was ready).</returns>
    /// <remarks>O(markers × peers). Thread-safe.</remarks>
    /// <exception cref="Sync.Crdt.Replication.Storage.DocumentStoreException">The commit failed; the retirement was rolled back in memory.</exception>
    /// <exception cref="System.ObjectDisposedException">The replica was closed.</exception>
    public Task<int> RetireAcknowledgedPruningMarkersAsync(CancellationToken cancellationToken = default) =>
        ChangeAsync(this, static (replicator, self) =>
        {
            IReadOnlyList<DeltaLogEntry> entries = replicator.RetireAcknowledgedPruningMarkers();
            foreach (DeltaLogEntry entry in entries)
            {
                self.EnqueueEntry(entry); // under the mutex, like the entry ChangeAsync enqueues
            }

            return (entries.Count, (DeltaLogEntry?)null);
        }, cancellationToken);

    /// <summary>
    /// A logged entry's end vector without the replicas pruned since it was written: vectors only grow except when a
    /// prune drops a replica, so an entry of <paramref name="to"/> that the current <paramref name="vector"/> lacks is a
    /// pruned replica's, which no floor holds any more. Without this, a record from before a prune would never be
    /// truncated. O(r).
    /// </summary>
    private static VersionVector WithoutPrunedReplicas(VersionVector to, VersionVector vector)
    {
        VersionVector live = to;
        foreach (Dot entry in to)
        {
            if (vector[entry.Replica] == 0)
            {
                live = live.DropReplica(entry.Replica);
            }
        }

        return live;
    }
}
