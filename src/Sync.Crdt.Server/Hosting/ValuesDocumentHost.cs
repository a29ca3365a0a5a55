using Sync.Crdt.Protocol.Sessions;

namespace Sync.Crdt.Server.Hosting;

/// <summary>A replicated-values document: the adapter around a <see cref="ValuesSession"/> (the replicator, the
/// handshake, ownership and write checks live there).</summary>
internal sealed class ValuesDocumentHost : DocumentHost
{
    public ValuesDocumentHost(string name, HostServices services)
        : base(new ValuesSession(name, services.Options.ServerReplica, services.Serializer), services)
    {
    }
}
