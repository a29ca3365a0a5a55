using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>
/// A delta-interval: the join of the sender's buffered deltas that cover every update event in
/// <see cref="Top"/> but not in <see cref="Base"/>, one joined delta per key.
/// </summary>
/// <remarks>
/// <para><b>Causal delivery rule.</b> A receiver applies the group only when its own version vector
/// dominates <see cref="Base"/> (it holds the whole causal past the deltas were computed against); it then
/// holds every event of <see cref="Top"/>. Otherwise it drops the group and answers with its digest. A group
/// may also carry deltas of events below <see cref="Base"/>; joining those again is harmless.</para>
/// <para>Immutable and thread-safe. <see cref="Deltas"/> is sorted by key (ordinal) with no duplicate key.</para>
/// </remarks>
[Immutable]
public sealed class DeltaGroupMessage : ReplicationMessage
{
    /// <summary>Creates a delta group.</summary>
    /// <param name="sender">The sending replica.</param>
    /// <param name="baseVector">The events the receiver must already hold for the group to apply.</param>
    /// <param name="top">The events the receiver holds after applying it (the sender's vector).</param>
    /// <param name="deltas">One joined delta per key, in any order.</param>
    /// <exception cref="ArgumentException"><paramref name="sender"/> is the default id, a key repeats, or a key or value is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public DeltaGroupMessage(ReplicaId sender, VersionVector baseVector, VersionVector top, IEnumerable<KeyValuePair<string, ReplicatedValue>> deltas)
        : base(sender)
    {
        ArgumentNullException.ThrowIfNull(baseVector);
        ArgumentNullException.ThrowIfNull(top);
        Base = baseVector;
        Top = top;
        Deltas = KeyedValues.Normalize(deltas, nameof(deltas));
    }

    /// <summary>Gets the events the receiver must already hold for the group to apply.</summary>
    public VersionVector Base { get; }

    /// <summary>Gets the events the receiver holds after applying the group.</summary>
    public VersionVector Top { get; }

    /// <summary>Gets one joined delta per key, sorted by key.</summary>
    public ImmutableArray<KeyValuePair<string, ReplicatedValue>> Deltas { get; }

    /// <summary>Returns a short description for logs.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"Deltas from {Sender}: {Base} -> {Top}, {Deltas.Length} key(s)";
}
