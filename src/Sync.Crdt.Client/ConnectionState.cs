namespace Sync.Crdt.Client;

/// <summary>The client's connection to the server, as users see it.</summary>
public enum ConnectionState
{
    /// <summary>Not connected (not started, between reconnect attempts, or taken offline); edits stay local and pending.</summary>
    Offline = 0,

    /// <summary>Connected; documents are exchanging their handshakes.</summary>
    Syncing = 1,

    /// <summary>Connected and every open document finished its handshake.</summary>
    Online = 2,

    /// <summary>The server rejected the credentials (HTTP 401/403); the client retries with a fresh token after a backoff.</summary>
    Unauthorized = 3,
}
