using Sync.Crdt.Protocol.Sessions;

namespace Sync.Crdt.Server.Hosting;

/// <summary>An OT document: the adapter around an <see cref="OtSession"/> (the OT server, deduplication of resends
/// and the catch-up history live there; operations older than its window are read from the store by the
/// <see cref="DocumentHost"/> adapter through <see cref="OtHistoryBackfill"/> before the open is handed over).</summary>
internal sealed class OtDocumentHost : DocumentHost
{
    public OtDocumentHost(string name, HostServices services)
        : base(new OtSession(name, services.Options.OtHistoryLimit), services)
    {
    }
}
