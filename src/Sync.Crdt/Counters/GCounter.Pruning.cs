using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Pruning;

namespace Sync.Crdt.Counters;

/// <content>Removed-replica pruning through <see cref="IReplicaPrunable{T}"/> (see docs/pruning.md).</content>
public sealed partial class GCounter : IReplicaPrunable<GCounter>
{
    /// <summary>
    /// Plans a prune: the counter folds <paramref name="removed"/>'s count into <paramref name="owner"/>'s entry, so the
    /// plan carries no offset. O(n).
    /// </summary>
    /// <param name="removed">The removed replica.</param>
    /// <param name="owner">The owner.</param>
    /// <returns>The plan; <see langword="null"/> when the counter has no entry of <paramref name="removed"/> (nor nested ids of it).</returns>
    public ReplicaPruning? PlanPruning(ReplicaId removed, ReplicaId owner)
    {
        ReplicaId.ThrowIfDefault(removed, nameof(removed));
        return _counts[removed] == 0 && !MentionsNested(removed) ? null : new ReplicaPruning(removed, owner, 0, 0);
    }

    /// <summary>
    /// At the owner: folds the removed replica's count into the owner's entry (<see cref="PruneReplica(ReplicaId, ReplicaId)"/>)
    /// and renames nested ids (<see cref="ReplicaPruning.Map(ReplicaId)"/>). The value is unchanged. O(n).
    /// </summary>
    /// <param name="pruning">The plan.</param>
    /// <returns>The pruned counter; this instance when nothing changed.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="pruning"/> is <see langword="null"/>.</exception>
    /// <exception cref="System.OverflowException">The owner's count would exceed <see cref="long.MaxValue"/>.</exception>
    public GCounter PruneReplica(ReplicaPruning pruning)
    {
        System.ArgumentNullException.ThrowIfNull(pruning);
        return PruneReplica(pruning.Removed, pruning.Owner).RenameNested(pruning);
    }

    /// <summary>
    /// Anywhere else: drops the removed replica's entry (<see cref="DropReplica"/>; the owner's folded entry carries its
    /// count) and renames nested ids. Idempotent. O(n).
    /// </summary>
    /// <param name="pruning">The owner's plan.</param>
    /// <returns>The cleaned counter; this instance when nothing changed.</returns>
    /// <exception cref="System.ArgumentNullException"><paramref name="pruning"/> is <see langword="null"/>.</exception>
    public GCounter CleanUpPrunedReplica(ReplicaPruning pruning)
    {
        System.ArgumentNullException.ThrowIfNull(pruning);
        return DropReplica(pruning.Removed).RenameNested(pruning);
    }

    private bool MentionsNested(ReplicaId removed)
    {
        string prefix = removed.Value + "#";
        foreach (Dot entry in _counts)
        {
            if (entry.Replica.Value.StartsWith(prefix, System.StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private GCounter RenameNested(ReplicaPruning pruning)
    {
        if (!MentionsNested(pruning.Removed))
        {
            return this;
        }

        var entries = new List<Dot>(_counts.Count);
        foreach (Dot entry in _counts)
        {
            entries.Add(new Dot(pruning.Map(entry.Replica), entry.Counter));
        }

        return new GCounter(VersionVector.Create(entries), _total);
    }
}
