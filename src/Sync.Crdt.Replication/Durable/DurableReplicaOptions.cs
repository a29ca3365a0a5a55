using System;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication;

/// <summary>Settings of a <see cref="DurableReplica"/>.</summary>
/// <remarks>Immutable once built; thread-safe.</remarks>
[Immutable]
public sealed class DurableReplicaOptions
{
    /// <summary>The default for <see cref="MinCompactionBytes"/>: 64 KiB.</summary>
    public const long DefaultMinCompactionBytes = 64 * 1024;

    /// <summary>Gets the default settings.</summary>
    public static DurableReplicaOptions Default { get; } = new();

    /// <summary>
    /// Gets the replicator's settings. <see cref="ReplicatorOptions.MaxBufferedDeltas"/> is also the log retention bound:
    /// the store keeps at most that many log records beyond its snapshot for peers that have not acknowledged them; a
    /// peer further behind receives the full state.
    /// </summary>
    public ReplicatorOptions Replicator { get; init; } = ReplicatorOptions.Default;

    /// <summary>
    /// Gets the log size (bytes appended since the last snapshot) below which the replica never compacts. Above it, the
    /// replica compacts as soon as the log since the snapshot outgrows the encoded state.
    /// </summary>
    public long MinCompactionBytes { get; init; } = DefaultMinCompactionBytes;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentNullException"><see cref="Replicator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MinCompactionBytes"/> is negative.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Replicator, nameof(Replicator));
        ArgumentOutOfRangeException.ThrowIfNegative(MinCompactionBytes, nameof(MinCompactionBytes));
    }
}
