using System;
using Sync.Crdt.Protocol.Sessions;

namespace Sync.Crdt.Server.Hosting;

/// <summary>A collaborative text document: the adapter around a <see cref="TextSession"/> (the text document, its
/// checks and presence live there; presence expires on the registry's sweep ticks).</summary>
internal sealed class TextDocumentHost : DocumentHost
{
    public TextDocumentHost(string name, HostServices services)
        : base(new TextSession(name, services.Options.ServerReplica, Ticks(services.Options.PresenceTimeout, services.Time)), services)
    {
    }

    private static long Ticks(TimeSpan span, TimeProvider time) => (long)(span.TotalSeconds * time.TimestampFrequency);
}
