using System;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>A message a <see cref="DeltaReplicator"/> asks its transport to deliver to one peer.</summary>
/// <remarks>An immutable value; thread-safe.</remarks>
[Immutable]
public readonly struct OutgoingMessage
{
    /// <summary>Creates an outgoing message.</summary>
    /// <param name="recipient">The peer to deliver to.</param>
    /// <param name="message">The message.</param>
    /// <exception cref="ArgumentException"><paramref name="recipient"/> is the default id.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    public OutgoingMessage(ReplicaId recipient, ReplicationMessage message)
    {
        if (recipient.IsDefault)
        {
            throw new ArgumentException("The recipient must be a valid replica id.", nameof(recipient));
        }

        ArgumentNullException.ThrowIfNull(message);
        Recipient = recipient;
        Message = message;
    }

    /// <summary>Gets the peer to deliver to.</summary>
    public ReplicaId Recipient { get; }

    /// <summary>Gets the message.</summary>
    public ReplicationMessage Message { get; }

    /// <summary>Returns a short description for logs.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"to {Recipient}: {Message}";
}
