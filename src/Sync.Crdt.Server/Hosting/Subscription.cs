using Sync.Crdt.Causality;

namespace Sync.Crdt.Server.Hosting;

/// <summary>One connection's channel on one document.</summary>
internal sealed class Subscription
{
    public Subscription(SyncConnection connection, long channel, DocumentAccess access)
    {
        Connection = connection;
        Channel = channel;
        Access = access;
    }

    public SyncConnection Connection { get; }

    public long Channel { get; }

    public ReplicaId Replica => Connection.Replica;

    public DocumentAccess Access { get; }

    public bool CanWrite => (Access & DocumentAccess.Write) != 0;

    /// <summary>Set by the document's loop once the handshake was answered; cleared when the channel closes.</summary>
    public bool Active { get; set; }
}
