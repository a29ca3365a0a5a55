using System;

namespace Sync.Crdt.Protocol.Sessions;

/// <summary>What a <see cref="ConnectionInput"/> reports to a connection session.</summary>
internal enum ConnectionInputKind
{
    /// <summary>One complete WebSocket message (a frame, not yet decoded).</summary>
    Received,

    /// <summary>The transport saw a violation while reading (an oversized or non-binary message).</summary>
    Violation,

    /// <summary>The answer to <see cref="ConnectionOutputKind.ClaimReplica"/> (in <see cref="ConnectionInput.CanWrite"/>:
    /// whether the claim was accepted).</summary>
    ReplicaClaimed,

    /// <summary>The answer to <see cref="ConnectionOutputKind.Authorize"/>: the rights on the document.</summary>
    Authorized,

    /// <summary>The answer to <see cref="ConnectionOutputKind.Attach"/>: the document took the channel; the tag routes
    /// later frames.</summary>
    Attached,

    /// <summary>The answer to <see cref="ConnectionOutputKind.Attach"/>: the document is loaded as another kind.</summary>
    AttachRejected,

    /// <summary>A document failed one of this connection's channels.</summary>
    ChannelFailed,

    /// <summary>The keepalive timer fired.</summary>
    Tick,

    /// <summary>The server closes the connection (shutdown) with an error.</summary>
    Fail,

    /// <summary>The transport is gone: detach every channel.</summary>
    Closed,
}

/// <summary>One input to a <see cref="ConnectionSession"/>; built by the static factories.</summary>
internal readonly record struct ConnectionInput(
    ConnectionInputKind Kind,
    ReadOnlyMemory<byte> Bytes,
    long Now,
    long LastSent,
    long Channel,
    bool CanRead,
    bool CanWrite,
    object? Tag,
    SyncErrorCode Code,
    string? Message)
{
    public static ConnectionInput Received(ReadOnlyMemory<byte> bytes, long now) =>
        new(ConnectionInputKind.Received, bytes, now, 0, 0, false, false, null, 0, null);

    public static ConnectionInput Violation(SyncErrorCode code, string message) =>
        new(ConnectionInputKind.Violation, default, 0, 0, 0, false, false, null, code, message);

    public static ConnectionInput ReplicaClaimed(bool accepted, string? reason = null) =>
        new(ConnectionInputKind.ReplicaClaimed, default, 0, 0, 0, accepted, accepted, null, 0, reason);

    public static ConnectionInput Authorized(long channel, bool canRead, bool canWrite) =>
        new(ConnectionInputKind.Authorized, default, 0, 0, channel, canRead, canWrite, null, 0, null);

    public static ConnectionInput Attached(long channel, object tag) =>
        new(ConnectionInputKind.Attached, default, 0, 0, channel, false, false, tag, 0, null);

    public static ConnectionInput AttachRejected(long channel) =>
        new(ConnectionInputKind.AttachRejected, default, 0, 0, channel, false, false, null, 0, null);

    public static ConnectionInput ChannelFailed(long channel, SyncErrorCode code, string message) =>
        new(ConnectionInputKind.ChannelFailed, default, 0, 0, channel, false, false, null, code, message);

    public static ConnectionInput Tick(long now, long lastSent) =>
        new(ConnectionInputKind.Tick, default, now, lastSent, 0, false, false, null, 0, null);

    public static ConnectionInput Fail(SyncErrorCode code, string message) =>
        new(ConnectionInputKind.Fail, default, 0, 0, 0, false, false, null, code, message);

    public static ConnectionInput Closed() =>
        new(ConnectionInputKind.Closed, default, 0, 0, 0, false, false, null, 0, null);
}
