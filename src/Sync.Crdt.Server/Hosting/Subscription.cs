using Sync.Crdt.Protocol.Sessions;

namespace Sync.Crdt.Server.Hosting;

/// <summary>One connection's channel on one document: the session's member plus the connection to answer on.</summary>
internal sealed class Subscription : SessionMember
{
    public Subscription(SyncConnection connection, long channel, DocumentAccess access)
        : base(connection.Replica, channel, (access & DocumentAccess.Write) != 0)
    {
        Connection = connection;
        Access = access;
    }

    public SyncConnection Connection { get; }

    public DocumentAccess Access { get; }
}
