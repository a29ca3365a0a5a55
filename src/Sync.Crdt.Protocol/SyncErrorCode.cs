namespace Sync.Crdt.Protocol;

/// <summary>Error codes carried by error frames (docs/sync-protocol.md, "Error codes").</summary>
/// <remarks>Codes below 100 close the connection after the error frame; codes from 100 concern one channel, which is
/// closed, while the connection stays open.</remarks>
public enum SyncErrorCode
{
    /// <summary>The hello's protocol version is not supported; the connection closes.</summary>
    UnsupportedVersion = 1,

    /// <summary>A frame does not decode (truncated, trailing bytes, bad varint, bad UTF-8, bad field); the connection closes.</summary>
    MalformedFrame = 2,

    /// <summary>A frame is larger than the receiver's limit; the connection closes without the frame being buffered.</summary>
    FrameTooLarge = 3,

    /// <summary>The frame type is unknown; the connection closes.</summary>
    UnknownFrameType = 4,

    /// <summary>The first frame was not a hello, or a hello came twice; the connection closes.</summary>
    HelloExpected = 5,

    /// <summary>The replica id is invalid, in use by another connection, or not allowed for the user; the connection closes.</summary>
    ReplicaRejected = 6,

    /// <summary>A change contains events of a replica other than the connection's (forged dots); the connection closes
    /// and nothing of the change is stored or forwarded.</summary>
    ForgedDots = 7,

    /// <summary>The connection's outgoing queue overflowed (a slow reader); the connection closes and the client resumes
    /// from its digests.</summary>
    SlowConsumer = 8,

    /// <summary>No frame arrived within the keepalive timeout; the connection closes.</summary>
    KeepaliveTimeout = 9,

    /// <summary>The server is shutting down; reconnect later.</summary>
    ServerShutdown = 10,

    /// <summary>The user may not read the document; nothing of it was sent.</summary>
    ReadForbidden = 100,

    /// <summary>The user may not write the document; the change was neither stored nor forwarded.</summary>
    WriteForbidden = 101,

    /// <summary>The document kind is unknown or not enabled.</summary>
    UnknownKind = 102,

    /// <summary>The channel is not open.</summary>
    UnknownChannel = 103,

    /// <summary>The channel number is already open on this connection, or the document is already open on another channel.</summary>
    ChannelInUse = 104,

    /// <summary>The connection has the maximum number of documents open.</summary>
    TooManyDocuments = 105,

    /// <summary>A payload does not decode, or contradicts the document (a kind-specific protocol violation).</summary>
    InvalidPayload = 106,

    /// <summary>The server could not commit or load the document (a store failure); retry later.</summary>
    StoreUnavailable = 107,

    /// <summary>The OT document cannot transform from the client's revision any more: re-open the channel.</summary>
    ResyncRequired = 108,
}
