namespace Sync.Crdt.Protocol.Sessions;

/// <summary>What a <see cref="ConnectionSession"/> enforces and announces.</summary>
/// <param name="MaxFrameBytes">The largest frame accepted.</param>
/// <param name="MaxDocuments">The most channels a connection may have open.</param>
/// <param name="Capabilities">The document kinds served.</param>
/// <param name="ServerReplica">The server's replica id (a client may not claim it).</param>
/// <param name="KeepaliveInterval">The keepalive interval in session-clock units; 0 turns keepalive off.</param>
/// <param name="KeepaliveMilliseconds">The keepalive interval announced in the welcome.</param>
internal sealed record ConnectionLimits(
    int MaxFrameBytes,
    int MaxDocuments,
    SyncCapabilities Capabilities,
    string ServerReplica,
    long KeepaliveInterval,
    long KeepaliveMilliseconds);
