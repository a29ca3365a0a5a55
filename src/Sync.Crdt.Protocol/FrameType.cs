namespace Sync.Crdt.Protocol;

/// <summary>The first byte of every frame.</summary>
public enum FrameType
{
    /// <summary>Client → server, first frame: protocol version, capabilities, replica id.</summary>
    Hello = 0x01,

    /// <summary>Server → client: the answer to an accepted hello.</summary>
    Welcome = 0x02,

    /// <summary>Either way: an error on a channel or on the connection.</summary>
    Error = 0x03,

    /// <summary>Either way: keepalive request.</summary>
    Ping = 0x04,

    /// <summary>Either way: keepalive answer.</summary>
    Pong = 0x05,

    /// <summary>Client → server: opens a document on a channel with the client's handshake.</summary>
    Open = 0x10,

    /// <summary>Server → client: the server's handshake answer on a channel.</summary>
    Synced = 0x11,

    /// <summary>Either way: a change on a channel.</summary>
    Update = 0x12,

    /// <summary>Server → client: a client change is durable.</summary>
    Ack = 0x13,

    /// <summary>Either way: ephemeral presence on a text document.</summary>
    Presence = 0x14,

    /// <summary>Client → server: closes a channel.</summary>
    Close = 0x15,
}
