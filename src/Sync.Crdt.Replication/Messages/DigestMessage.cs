using System;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>
/// "These are the update events I hold": the sender's version vector. A digest asks the receiver for
/// everything it holds beyond the vector, and acknowledges everything within it (the receiver may then
/// forget buffered deltas the sender has seen).
/// </summary>
/// <remarks>Immutable and thread-safe. Size: one entry per replica that ever made an update.</remarks>
[Immutable]
public sealed class DigestMessage : ReplicationMessage
{
    /// <summary>Creates a digest.</summary>
    /// <param name="sender">The sending replica.</param>
    /// <param name="vector">The update events the sender holds.</param>
    /// <exception cref="ArgumentException"><paramref name="sender"/> is the default id.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="vector"/> is <see langword="null"/>.</exception>
    public DigestMessage(ReplicaId sender, VersionVector vector)
        : base(sender)
    {
        ArgumentNullException.ThrowIfNull(vector);
        Vector = vector;
    }

    /// <summary>Gets the update events the sender holds.</summary>
    public VersionVector Vector { get; }

    /// <summary>Returns a short description for logs.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"Digest from {Sender}: {Vector}";
}
