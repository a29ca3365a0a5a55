using System;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication;

/// <summary>Settings of a <see cref="DeltaReplicator"/>.</summary>
/// <remarks>Immutable and thread-safe; one instance may configure any number of replicators.</remarks>
[Immutable]
public sealed class ReplicatorOptions
{
    /// <summary>The default of <see cref="MaxBufferedDeltas"/>: 4,096 delta entries.</summary>
    public const int DefaultMaxBufferedDeltas = 4096;

    /// <summary>Creates options.</summary>
    /// <param name="maxBufferedDeltas">The bound on the delta buffer; see <see cref="MaxBufferedDeltas"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxBufferedDeltas"/> is less than 1.</exception>
    public ReplicatorOptions(int maxBufferedDeltas = DefaultMaxBufferedDeltas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBufferedDeltas, 1);
        MaxBufferedDeltas = maxBufferedDeltas;
    }

    /// <summary>Gets the default options.</summary>
    public static ReplicatorOptions Default { get; } = new();

    /// <summary>
    /// Gets the most delta entries a replicator keeps for peers that have not acknowledged them. One entry is one
    /// local update or one applied incoming delta group or full state (a reference to an immutable value, not a
    /// copy). When the buffer is full the oldest entry is dropped, and a peer that still needed it receives the
    /// full state instead of deltas. Entries every current peer has acknowledged are dropped earlier.
    /// </summary>
    public int MaxBufferedDeltas { get; }

    /// <summary>
    /// Gets how long a replicator keeps refusing or cleaning up data of a pruned replica after the prune's marker left the
    /// replicated table (every live peer had acknowledged it): the time a stale message may still be in flight (default one
    /// hour). See docs/pruning.md.
    /// </summary>
    public TimeSpan PrunedReplicaRetention { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Gets the clock that times <see cref="PrunedReplicaRetention"/> (default <see cref="TimeProvider.System"/>).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
