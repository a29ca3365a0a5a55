using Sync.Crdt.Protocol;

namespace Sync.Crdt.Server.Hosting;

internal enum HostInputKind
{
    Open,
    Frame,
    Detach,
    Refresh,
    Tick,
}

/// <summary>One unit of work for a document's loop.</summary>
internal readonly record struct HostInput(HostInputKind Kind, Subscription? Subscription, SyncFrame? Frame, long ReceivedAt);
