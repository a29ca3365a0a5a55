using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>
/// One entry of a replicator's delta log: the deltas (or whole values) that carried its version vector from
/// <see cref="From"/> to <see cref="To"/>. A local update is one entry (one new event of this replica); an applied
/// delta group or full state from a peer is one entry (every event it brought).
/// </summary>
/// <remarks>
/// <para><b>A chain.</b> Consecutive entries of one replicator chain: each entry's <see cref="From"/> is the
/// previous entry's <see cref="To"/>, so together they hold every event between the first entry's
/// <see cref="From"/> and the replicator's vector. The replicator keeps the recent part of the chain as its delta
/// buffer (to answer peers with deltas) and hands every new entry to its caller (<see cref="DeltaReplicator.Update{T}(ReplicatedKey{T}, DeltaMutator{T}, out DeltaLogEntry)"/>,
/// <see cref="ReceiveResult.Entry"/>): a durable store appends the entries to its log and restores the
/// replicator from its snapshot plus the log (<see cref="DeltaReplicator.Restore(ReplicatorSnapshot, IEnumerable{DeltaLogEntry}, ReplicaId, ReplicatorOptions)"/>).
/// Serialize entries with <see cref="Encoding.ReplicationSerializer.SerializeToBytes(DeltaLogEntry)"/>.</para>
/// <para>Immutable and thread-safe. <see cref="Deltas"/> is sorted by key (ordinal) with no repeated key.</para>
/// </remarks>
[Immutable]
public sealed class DeltaLogEntry
{
    /// <summary>Creates an entry (for example when a store reads its log back).</summary>
    /// <param name="from">The vector before the entry.</param>
    /// <param name="to">The vector after the entry; it must strictly dominate <paramref name="from"/> (an entry adds at least one event).</param>
    /// <param name="deltas">One delta per key, in any order.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="to"/> does not strictly dominate <paramref name="from"/>,
    /// a key repeats, or a key or value is <see langword="null"/>.</exception>
    public DeltaLogEntry(VersionVector from, VersionVector to, IEnumerable<KeyValuePair<string, ReplicatedValue>> deltas)
        : this(from, to, KeyedValues.Normalize(deltas, nameof(deltas)))
    {
    }

    private DeltaLogEntry(VersionVector from, VersionVector to, ImmutableArray<KeyValuePair<string, ReplicatedValue>> deltas)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (!to.Dominates(from) || from.Dominates(to))
        {
            throw new ArgumentException($"An entry must add events: {to} does not strictly dominate {from}.", nameof(to));
        }

        From = from;
        To = to;
        Deltas = deltas;
    }

    /// <summary>Creates an entry from deltas already in canonical order (sorted by key, no repeats).</summary>
    internal static DeltaLogEntry FromCanonical(VersionVector from, VersionVector to, ImmutableArray<KeyValuePair<string, ReplicatedValue>> deltas) =>
        new(from, to, deltas);

    /// <summary>Gets the replicator's vector before the entry was applied.</summary>
    public VersionVector From { get; }

    /// <summary>Gets the replicator's vector after the entry was applied.</summary>
    public VersionVector To { get; }

    /// <summary>Gets one delta per key, sorted by key.</summary>
    public ImmutableArray<KeyValuePair<string, ReplicatedValue>> Deltas { get; }

    /// <summary>Returns a short description for logs.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"Entry {From} -> {To}, {Deltas.Length} key(s)";

    /// <summary>
    /// Returns <see langword="true"/> when one of the events this entry added (those in <see cref="To"/> and not in
    /// <see cref="From"/>) is missing from <paramref name="digest"/>. O(r log r) for r replicas.
    /// </summary>
    internal bool AddsEventsBeyond(VersionVector digest)
    {
        foreach (Dot latest in To)
        {
            if (latest.Counter > From[latest.Replica] && latest.Counter > digest[latest.Replica])
            {
                return true;
            }
        }

        return false;
    }
}
