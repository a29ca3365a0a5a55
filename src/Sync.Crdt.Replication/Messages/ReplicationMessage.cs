using System;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>
/// One message of the anti-entropy protocol between two <see cref="DeltaReplicator"/>s. There are exactly
/// three kinds: <see cref="DigestMessage"/> ("this is what I have"), <see cref="DeltaGroupMessage"/> ("here is
/// what you lack, as joined deltas") and <see cref="FullStateMessage"/> ("here is everything"). See
/// docs/replication.md for the protocol.
/// </summary>
/// <remarks>Messages are immutable and thread-safe; a transport may deliver one any number of times, late or
/// never, and in any order: the protocol tolerates all of these.</remarks>
[Immutable]
public abstract class ReplicationMessage
{
    private protected ReplicationMessage(ReplicaId sender)
    {
        if (sender.IsDefault)
        {
            throw new ArgumentException("The sender must be a valid replica id.", nameof(sender));
        }

        Sender = sender;
    }

    /// <summary>Gets the id of the replica that sent the message.</summary>
    public ReplicaId Sender { get; }
}
