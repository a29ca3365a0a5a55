using System;
using System.Collections.Generic;

namespace Sync.Crdt.Protocol.Sessions;

/// <summary>What a <see cref="DocumentOutput"/> asks the adapter to do.</summary>
internal enum DocumentOutputKind
{
    /// <summary>Send <see cref="DocumentOutput.Frame"/> to <see cref="DocumentOutput.Member"/>'s connection.</summary>
    Send,

    /// <summary>The member's channel failed with <see cref="DocumentOutput.Code"/>: the session already dropped the
    /// member; the connection sends the error frame (and closes when the code is connection-level).</summary>
    ChannelFailed,

    /// <summary>Commit <see cref="DocumentOutput.Appends"/> to the store as one commit, then report
    /// <see cref="DocumentInputKind.CommitDone"/> or <see cref="DocumentInputKind.CommitFailed"/>. Always the last
    /// output of a batch; no other input but stored records is accepted until the report.</summary>
    Commit,

    /// <summary>Rebuild the session's state from the store (<see cref="DocumentSession.Load"/>): memory may hold a
    /// change that was rejected or not committed.</summary>
    Reload,

    /// <summary>Deliver a <see cref="DocumentInputKind.Tick"/> at or after <see cref="DocumentOutput.At"/> (session clock).</summary>
    WakeAt,
}

/// <summary>One output of a <see cref="DocumentSession"/>.</summary>
/// <param name="Kind">What to do.</param>
/// <param name="Member">The member concerned (send, channel failed).</param>
/// <param name="Frame">The frame to send.</param>
/// <param name="Code">The error code (channel failed).</param>
/// <param name="Message">The error message (channel failed).</param>
/// <param name="Appends">The records to commit, in order (commit).</param>
/// <param name="ReceivedAt">For an ack: the <see cref="DocumentInput.ReceivedAt"/> of the acknowledged update.</param>
/// <param name="At">The session-clock time of a timer request.</param>
internal readonly record struct DocumentOutput(
    DocumentOutputKind Kind,
    SessionMember? Member,
    SyncFrame? Frame,
    SyncErrorCode Code,
    string? Message,
    IReadOnlyList<ReadOnlyMemory<byte>>? Appends,
    long ReceivedAt,
    long At)
{
    public static DocumentOutput Send(SessionMember member, SyncFrame frame, long receivedAt = 0) =>
        new(DocumentOutputKind.Send, member, frame, 0, null, null, receivedAt, 0);

    public static DocumentOutput Failed(SessionMember member, SyncErrorCode code, string message) =>
        new(DocumentOutputKind.ChannelFailed, member, null, code, message, null, 0, 0);

    public static DocumentOutput Commit(IReadOnlyList<ReadOnlyMemory<byte>> appends) =>
        new(DocumentOutputKind.Commit, null, null, 0, null, appends, 0, 0);

    public static DocumentOutput Reload() =>
        new(DocumentOutputKind.Reload, null, null, 0, null, null, 0, 0);

    public static DocumentOutput WakeAt(long at) =>
        new(DocumentOutputKind.WakeAt, null, null, 0, null, null, 0, at);
}
