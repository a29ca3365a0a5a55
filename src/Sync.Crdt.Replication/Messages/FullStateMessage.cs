using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>
/// The sender's whole state: every key's value and the version vector of the events it holds. Sent when the
/// sender can no longer build a delta group for the receiver (its buffer no longer reaches back to the
/// receiver's digest: a new peer, a long partition, a peer restored from an old snapshot).
/// </summary>
/// <remarks>A full state may be applied in any causal situation (it is a join of whole states). Immutable and
/// thread-safe. <see cref="Values"/> is sorted by key (ordinal) with no duplicate key.</remarks>
[Immutable]
public sealed class FullStateMessage : ReplicationMessage
{
    /// <summary>Creates a full-state message.</summary>
    /// <param name="sender">The sending replica.</param>
    /// <param name="vector">The events the state holds.</param>
    /// <param name="values">One value per key, in any order.</param>
    /// <exception cref="ArgumentException"><paramref name="sender"/> is the default id, a key repeats, or a key or value is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public FullStateMessage(ReplicaId sender, VersionVector vector, IEnumerable<KeyValuePair<string, ReplicatedValue>> values)
        : base(sender)
    {
        ArgumentNullException.ThrowIfNull(vector);
        Vector = vector;
        Values = KeyedValues.Normalize(values, nameof(values));
    }

    /// <summary>Gets the events the state holds.</summary>
    public VersionVector Vector { get; }

    /// <summary>Gets one value per key, sorted by key.</summary>
    public ImmutableArray<KeyValuePair<string, ReplicatedValue>> Values { get; }

    /// <summary>Returns a short description for logs.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"Full state from {Sender}: {Vector}, {Values.Length} key(s)";
}
