using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>
/// The durable state of a <see cref="DeltaReplicator"/>: its values and the version vector of the update
/// events they hold. Write it to disk with <see cref="Encoding.ReplicationSerializer"/> and restore with
/// <see cref="DeltaReplicator.Restore"/>.
/// </summary>
/// <remarks>
/// The delta buffer and the peers' acknowledgements are not part of it: they are soft state, rebuilt by the
/// protocol (a restored replicator serves full states until it has buffered new deltas). Immutable and
/// thread-safe. <see cref="Values"/> is sorted by key (ordinal).
/// </remarks>
[Immutable]
public sealed class ReplicatorSnapshot
{
    /// <summary>Creates a snapshot.</summary>
    /// <param name="replica">The id the replicator had when the snapshot was taken.</param>
    /// <param name="vector">The update events the values hold.</param>
    /// <param name="values">One value per key, in any order.</param>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id, a key repeats, or a key or value is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public ReplicatorSnapshot(ReplicaId replica, VersionVector vector, IEnumerable<KeyValuePair<string, ReplicatedValue>> values)
    {
        if (replica.IsDefault)
        {
            throw new ArgumentException("The replica must be a valid replica id.", nameof(replica));
        }

        ArgumentNullException.ThrowIfNull(vector);
        Replica = replica;
        Vector = vector;
        Values = KeyedValues.Normalize(values, nameof(values));
    }

    /// <summary>Gets the id the replicator had when the snapshot was taken.</summary>
    public ReplicaId Replica { get; }

    /// <summary>Gets the update events the values hold.</summary>
    public VersionVector Vector { get; }

    /// <summary>Gets one value per key, sorted by key.</summary>
    public ImmutableArray<KeyValuePair<string, ReplicatedValue>> Values { get; }
}
