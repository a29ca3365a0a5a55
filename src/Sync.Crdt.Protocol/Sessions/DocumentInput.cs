using System;
using System.Collections.Generic;

namespace Sync.Crdt.Protocol.Sessions;

/// <summary>What a <see cref="DocumentInput"/> reports to a document session.</summary>
internal enum DocumentInputKind
{
    /// <summary>A member opened the document (its <see cref="OpenFrame"/> carries the handshake).</summary>
    Open,

    /// <summary>A member sent an update or presence frame on its channel.</summary>
    Frame,

    /// <summary>A member's channel closed (close frame, disconnect).</summary>
    Detach,

    /// <summary>A log record another node committed, read back from the store by the adapter.</summary>
    StoredRecord,

    /// <summary>Time passed (expiry of ephemeral state).</summary>
    Tick,

    /// <summary>The adapter handed over a batch of inputs: the session asks for the batch's commit or releases its frames.</summary>
    EndBatch,

    /// <summary>The commit the session asked for is durable: the batch's frames (acks included) may leave.</summary>
    CommitDone,

    /// <summary>The commit failed: nothing of the batch was acknowledged.</summary>
    CommitFailed,

    /// <summary>Every member's channel fails with the given code: the document did not load (StoreUnavailable, UnknownKind)
    /// or its memory is rebuilt from the store and the members must resume from their handshake (ResyncRequired).</summary>
    CloseAll,
}

/// <summary>One input to a <see cref="DocumentSession"/>; built by the static factories.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Member">The member concerned (open, frame, detach).</param>
/// <param name="Frame">The frame received (open, frame).</param>
/// <param name="Record">The stored record (stored record).</param>
/// <param name="Now">The session clock's timestamp (presence expiry); passed in, never read.</param>
/// <param name="ReceivedAt">An opaque timestamp the session copies onto the ack it emits (ack latency metrics).</param>
/// <param name="Code">The error code (close all).</param>
/// <param name="Message">The error message (close all, commit failed).</param>
/// <param name="History">For an open: what the adapter read from the store for <see cref="DocumentSession.HistoryToRead"/>
/// (OT operations older than the session's window), or null when none was asked for or it could not be read.</param>
internal readonly record struct DocumentInput(
    DocumentInputKind Kind,
    SessionMember? Member,
    SyncFrame? Frame,
    ReadOnlyMemory<byte> Record,
    long Now,
    long ReceivedAt,
    SyncErrorCode Code,
    string? Message,
    IReadOnlyList<OtCommittedOperation>? History = null)
{
    public static DocumentInput Open(SessionMember member, OpenFrame open, long now, IReadOnlyList<OtCommittedOperation>? history = null) =>
        new(DocumentInputKind.Open, member, open, default, now, 0, 0, null, history);

    public static DocumentInput Received(SessionMember member, SyncFrame frame, long now, long receivedAt = 0) =>
        new(DocumentInputKind.Frame, member, frame, default, now, receivedAt, 0, null);

    public static DocumentInput Detach(SessionMember member) =>
        new(DocumentInputKind.Detach, member, null, default, 0, 0, 0, null);

    public static DocumentInput Stored(ReadOnlyMemory<byte> record) =>
        new(DocumentInputKind.StoredRecord, null, null, record, 0, 0, 0, null);

    public static DocumentInput Tick(long now) =>
        new(DocumentInputKind.Tick, null, null, default, now, 0, 0, null);

    public static DocumentInput EndBatch() =>
        new(DocumentInputKind.EndBatch, null, null, default, 0, 0, 0, null);

    public static DocumentInput CommitDone() =>
        new(DocumentInputKind.CommitDone, null, null, default, 0, 0, 0, null);

    public static DocumentInput CommitFailed(string message) =>
        new(DocumentInputKind.CommitFailed, null, null, default, 0, 0, SyncErrorCode.StoreUnavailable, message);

    public static DocumentInput CloseAll(SyncErrorCode code, string message) =>
        new(DocumentInputKind.CloseAll, null, null, default, 0, 0, code, message);
}
