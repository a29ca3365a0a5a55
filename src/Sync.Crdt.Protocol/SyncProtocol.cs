namespace Sync.Crdt.Protocol;

/// <summary>Constants of the sync protocol (docs/sync-protocol.md).</summary>
/// <remarks>Stateless; thread-safe.</remarks>
public static class SyncProtocol
{
    /// <summary>The protocol version this library speaks. A hello with any other version is answered with an
    /// <see cref="SyncErrorCode.UnsupportedVersion"/> error frame and the connection is closed.</summary>
    public const int Version = 1;

    /// <summary>The WebSocket subprotocol name a client offers and a server selects.</summary>
    public const string WebSocketSubprotocol = "sync-crdt.v1";

    /// <summary>The channel number of frames that concern the whole connection rather than one document.</summary>
    public const long ConnectionChannel = 0;
}
