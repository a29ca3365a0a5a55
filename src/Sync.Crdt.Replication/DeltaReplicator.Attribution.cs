using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>Which replicas a received message would introduce new causal information for.</summary>
public sealed partial class DeltaReplicator
{
    /// <summary>
    /// Adds to <paramref name="writers"/> every replica for which <paramref name="message"/> carries causal information
    /// this replicator does not hold: update events of its vector (a group's <see cref="DeltaGroupMessage.Top"/>, a
    /// full state's <see cref="FullStateMessage.Vector"/>) beyond <see cref="Vector"/>, and inside each value the
    /// writers of dots, counter entries and writes beyond the value held under the same key
    /// (<see cref="IWriterAttribution{TSelf}"/>). A value whose type does not implement
    /// <see cref="IWriterAttribution{TSelf}"/> is attributed as a whole to the message's sender when it adds anything.
    /// Information this replicator already holds (re-sent or forwarded) adds nothing; a digest adds nothing.
    /// </summary>
    /// <param name="message">The message, not yet received.</param>
    /// <param name="writers">Receives the replicas; existing members are kept.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <remarks>
    /// A server uses it before <see cref="Receive"/> to accept new information only from the replicas a connection
    /// owns (docs/sync-protocol.md, "Forged dots"). Nothing changes. Cost: linear in the message's values plus
    /// logarithmic lookups into the held values. Thread-safe: runs under the replicator's lock.
    /// </remarks>
    public void CollectNewWriters(ReplicationMessage message, ISet<ReplicaId> writers)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(writers);
        (VersionVector? claimed, ImmutableArray<KeyValuePair<string, ReplicatedValue>> values) = message switch
        {
            DeltaGroupMessage group => (group.Top, group.Deltas),
            FullStateMessage full => (full.Vector, full.Values),
            _ => ((VersionVector?)null, ImmutableArray<KeyValuePair<string, ReplicatedValue>>.Empty),
        };
        lock (_gate)
        {
            claimed?.CollectNewWriters(_vector, writers);
            foreach (KeyValuePair<string, ReplicatedValue> entry in values)
            {
                _values.TryGetValue(entry.Key, out ReplicatedValue? held);
                entry.Value.CollectNewWriters(held, message.Sender, writers);
            }
        }
    }
}
