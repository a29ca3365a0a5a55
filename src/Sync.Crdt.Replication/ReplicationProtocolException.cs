using System;

namespace Sync.Crdt.Replication;

/// <summary>
/// Thrown when a peer's message contradicts this replica's state in a way no merge can resolve: it carries a
/// value of a different CRDT type under a key this replica already holds, or it claims to come from this
/// replica's own id (two replicas share an id), or it concerns a pruned replica in a way pruning forbids (a removed
/// replica's own message or its writes after the prune, or a second, different prune of a replica this replica already
/// knows pruned: two owners; see docs/pruning.md). The replicator throws before changing anything.
/// </summary>
public sealed class ReplicationProtocolException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public ReplicationProtocolException()
        : base("A replication message contradicts this replica's state.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ReplicationProtocolException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ReplicationProtocolException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
