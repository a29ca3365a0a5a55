using Sync.Crdt.Protocol.Sessions;

namespace Sync.Crdt.Server.Hosting;

/// <summary>One connection's channel on one document: the session's member plus the connection to answer on and the
/// document's host (the connection session's routing tag).</summary>
internal sealed class Subscription : SessionMember
{
    public Subscription(SyncConnection connection, long channel, DocumentAccess access, DocumentHost host)
        : base(connection.Replica, channel, (access & DocumentAccess.Write) != 0)
    {
        Connection = connection;
        Access = access;
        Host = host;
    }

    public SyncConnection Connection { get; }

    /// <summary>The document this channel is attached to.</summary>
    public DocumentHost Host { get; }

    public DocumentAccess Access { get; }
}
