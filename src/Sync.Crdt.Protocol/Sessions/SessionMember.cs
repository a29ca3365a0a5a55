using Sync.Crdt.Causality;

namespace Sync.Crdt.Protocol.Sessions;

/// <summary>One connection's channel on one document, as a <see cref="DocumentSession"/> sees it: who (the replica),
/// where to answer (the channel) and what it may do. The server's adapter derives its own subscription from it, so an
/// output names the adapter's object directly.</summary>
/// <remarks>Not thread-safe: owned by the document session that activated it.</remarks>
internal class SessionMember
{
    public SessionMember(ReplicaId replica, long channel, bool canWrite)
    {
        Replica = replica;
        Channel = channel;
        CanWrite = canWrite;
    }

    public ReplicaId Replica { get; }

    public long Channel { get; }

    public bool CanWrite { get; }

    /// <summary>Set by the session once the handshake was answered; cleared when the channel closes. Frames for an
    /// inactive member are not released.</summary>
    public bool Active { get; internal set; }
}
