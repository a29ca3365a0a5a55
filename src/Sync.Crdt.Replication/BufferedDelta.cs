using System.Collections.Generic;
using System.Collections.Immutable;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>
/// One entry of a replicator's delta buffer: deltas (or whole values) that carried the replica's version vector
/// from <see cref="From"/> to <see cref="To"/>. Consecutive entries chain: each starts where the previous ended,
/// so the buffer covers every event between the first entry's <see cref="From"/> and the replica's vector.
/// </summary>
internal sealed class BufferedDelta
{
    public BufferedDelta(VersionVector from, VersionVector to, ImmutableArray<KeyValuePair<string, ReplicatedValue>> deltas)
    {
        From = from;
        To = to;
        Deltas = deltas;
    }

    /// <summary>Gets the replica's vector before the entry was applied.</summary>
    public VersionVector From { get; }

    /// <summary>Gets the replica's vector after the entry was applied.</summary>
    public VersionVector To { get; }

    /// <summary>Gets the deltas, sorted by key.</summary>
    public ImmutableArray<KeyValuePair<string, ReplicatedValue>> Deltas { get; }

    /// <summary>
    /// Returns <see langword="true"/> when one of the events this entry added (those in <see cref="To"/> and not in
    /// <see cref="From"/>) is missing from <paramref name="digest"/>. O(r log r) for r replicas.
    /// </summary>
    public bool AddsEventsBeyond(VersionVector digest)
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
