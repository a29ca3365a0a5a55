using System;
using System.Collections.Generic;
using Sync.Crdt.Annotations;

namespace Sync.Ot;

/// <summary>
/// One editor's side of the OT protocol: it applies local edits at once, sends them to the server one operation
/// at a time, composes edits made while waiting into a buffer, rebases incoming operations over its pending ones,
/// and undoes / redoes its own edits even after others have edited the document.
/// </summary>
/// <remarks>
/// <para><b>States</b> (<see cref="State"/>): <see cref="ClientState.Synchronized"/> → a local edit is sent at once
/// (<see cref="ApplyLocal(TextOperation)"/> returns the <see cref="ClientSubmission"/>) →
/// <see cref="ClientState.AwaitingConfirm"/> → further local edits are composed into <see cref="Buffer"/> →
/// <see cref="ClientState.AwaitingWithBuffer"/>. <see cref="Acknowledge"/> either sends the buffer (returning the
/// next submission) or returns to <see cref="ClientState.Synchronized"/>.</para>
/// <para><b>Remote operations</b> (<see cref="ApplyRemote"/>) are transformed over <see cref="Outstanding"/> and then
/// <see cref="Buffer"/>, which are transformed in turn, exactly as the server transforms this client's
/// operation over them; so every client ends with the server's document. Ties between inserts at one position put
/// the lower client id first. Messages from the server must arrive in revision order (an ordered channel such as a
/// WebSocket); a gap or a repeat throws <see cref="OtProtocolException"/>.</para>
/// <para><b>Undo.</b> Each local edit pushes its inverse on an undo stack (at most <see cref="UndoLimit"/> entries).
/// Every remote operation transforms the stored inverses, newest first, so undo removes exactly this user's change
/// where it now is and never someone else's text; an inverse that the remote operation made empty (the text was
/// deleted by someone else) is dropped. <see cref="Undo"/> pushes the inverse of what it did on the redo stack; a
/// new local edit clears it.</para>
/// <para><b>Errors.</b> A local operation of the wrong length throws <see cref="ArgumentException"/>; a message that
/// breaks the protocol throws <see cref="OtProtocolException"/>. Either way the client is left unchanged.</para>
/// <para>Not thread-safe: drive one client from one thread (the editor's).</para>
/// </remarks>
[Mutable]
public sealed class OtClient
{
    /// <summary>The default <see cref="UndoLimit"/>.</summary>
    public const int DefaultUndoLimit = 200;

    private readonly List<TextOperation> _undo = [];
    private readonly List<TextOperation> _redo = [];
    private TextBuffer _document;

    /// <summary>Creates a client that starts from the server's <paramref name="snapshot"/>.</summary>
    /// <param name="clientId">This client's id, unique among the document's clients (it orders concurrent inserts).</param>
    /// <param name="snapshot">The document and revision to start from (<see cref="OtServer.Snapshot"/>).</param>
    /// <param name="undoLimit">The most undo steps kept; zero disables undo.</param>
    /// <exception cref="ArgumentNullException"><paramref name="clientId"/> or <paramref name="snapshot"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="undoLimit"/> is negative.</exception>
    public OtClient(string clientId, DocumentSnapshot snapshot, int undoLimit = DefaultUndoLimit)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentOutOfRangeException.ThrowIfNegative(undoLimit);
        ClientId = clientId;
        UndoLimit = undoLimit;
        _document = new TextBuffer(snapshot.Text);
        Revision = snapshot.Revision;
    }

    private enum LocalEditKind
    {
        Edit,
        Undo,
        Redo,
    }

    /// <summary>Gets this client's id.</summary>
    public string ClientId { get; }

    /// <summary>Gets the most undo steps kept.</summary>
    public int UndoLimit { get; }

    /// <summary>Gets the last server revision this client has seen (its own acknowledged operations included).</summary>
    public long Revision { get; private set; }

    /// <summary>Gets where the client is in the protocol.</summary>
    public ClientState State => Outstanding is null ? ClientState.Synchronized : Buffer is null ? ClientState.AwaitingConfirm : ClientState.AwaitingWithBuffer;

    /// <summary>Gets the operation sent and not yet acknowledged, or <see langword="null"/>.</summary>
    public TextOperation? Outstanding { get; private set; }

    /// <summary>Gets the local edits made since <see cref="Outstanding"/> was sent, composed into one operation, or <see langword="null"/>.</summary>
    public TextOperation? Buffer { get; private set; }

    /// <summary>Gets the client's current document (local edits included); O(length).</summary>
    public string Document => _document.ToString();

    /// <summary>Gets the length of the current document in code points.</summary>
    public int DocumentCodePointLength => _document.CodePointLength;

    /// <summary>Gets a value indicating whether <see cref="Undo"/> has something to undo.</summary>
    public bool CanUndo => _undo.Count > 0;

    /// <summary>Gets a value indicating whether <see cref="Redo"/> has something to redo.</summary>
    public bool CanRedo => _redo.Count > 0;

    /// <summary>Applies a local edit to the document and queues it for the server.</summary>
    /// <param name="operation">The edit, made on the current document (<see cref="DocumentCodePointLength"/> code points).</param>
    /// <returns>The submission to send now (when the client was synchronized), otherwise <see langword="null"/>
    /// (the edit waits in <see cref="Buffer"/>); <see langword="null"/> and no change for an identity.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The operation does not apply to the current document; nothing changes.</exception>
    public ClientSubmission? ApplyLocal(TextOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.ThrowIfBaseLengthDiffers(_document.CodePointLength, nameof(operation));
        return ApplyLocalCore(operation, LocalEditKind.Edit);
    }

    /// <summary>Applies a simple local edit; the same as <see cref="ApplyLocal(TextOperation)"/> with <see cref="TextOperation.FromEdit"/>.</summary>
    /// <param name="edit">The edit on the current document.</param>
    /// <returns>The submission to send now, or <see langword="null"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The edit reaches past the end of the document; nothing changes.</exception>
    public ClientSubmission? ApplyLocal(TextEdit edit) =>
        ApplyLocalCore(TextOperation.FromEdit(_document.CodePointLength, edit), LocalEditKind.Edit);

    /// <summary>Handles the server's acknowledgement of <see cref="Outstanding"/>.</summary>
    /// <param name="revision">The revision the server gave the operation; must be <c><see cref="Revision"/> + 1</c>.</param>
    /// <returns>The buffered edits to send now, or <see langword="null"/> when the client is now synchronized.</returns>
    /// <exception cref="OtProtocolException">No operation is in flight, or the revision is out of order; nothing changes.</exception>
    public ClientSubmission? Acknowledge(long revision)
    {
        if (Outstanding is null)
        {
            throw new OtProtocolException(ProtocolError.UnexpectedAcknowledgement, $"Client '{ClientId}' received an acknowledgement for revision {revision} but has no operation in flight.");
        }

        ThrowIfNotNext(revision);
        Revision = revision;
        Outstanding = Buffer;
        Buffer = null;
        return Outstanding is null ? null : new ClientSubmission(ClientId, Revision, Outstanding);
    }

    /// <summary>Applies another client's operation, broadcast by the server.</summary>
    /// <param name="remote">The operation with its revision, which must be <c><see cref="Revision"/> + 1</c>.</param>
    /// <returns>The operation as applied to this client's document (transformed over its pending edits), for the editor to update its view.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="remote"/> is <see langword="null"/>.</exception>
    /// <exception cref="OtProtocolException">The revision is out of order, the operation is this client's own (use <see cref="Acknowledge"/>), or it does not fit the document; nothing changes.</exception>
    public TextOperation ApplyRemote(RevisionedOperation remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        ThrowIfNotNext(remote.Revision);
        if (string.Equals(remote.AuthorId, ClientId, StringComparison.Ordinal))
        {
            throw new OtProtocolException(ProtocolError.UnexpectedAcknowledgement, $"Revision {remote.Revision} is client '{ClientId}''s own operation; pass its revision to Acknowledge instead.");
        }

        TextOperation operation = remote.Operation;
        int expected = Outstanding?.BaseCodePointLength ?? _document.CodePointLength;
        if (operation.BaseCodePointLength != expected)
        {
            throw new OtProtocolException(ProtocolError.BaseLengthMismatch, $"Revision {remote.Revision} applies to {operation.BaseCodePointLength} code points but client '{ClientId}' was at {expected}.");
        }

        string author = remote.AuthorId;
        TextOperation? outstanding = Outstanding;
        TextOperation? buffer = Buffer;
        if (outstanding is not null)
        {
            (outstanding, operation) = TextOperation.Transform(outstanding, ClientId, operation, author);
            if (buffer is not null)
            {
                (buffer, operation) = TextOperation.Transform(buffer, ClientId, operation, author);
            }
        }

        _document.Apply(operation);
        Revision = remote.Revision;
        Outstanding = outstanding;
        Buffer = buffer;
        TransformStack(_undo, operation, author);
        TransformStack(_redo, operation, author);
        return operation;
    }

    /// <summary>Undoes this user's most recent edit (as transformed by everything since) and queues the undo for the server.</summary>
    /// <returns>The submission to send now, or <see langword="null"/> (queued in the buffer, or nothing to undo).</returns>
    public ClientSubmission? Undo() => UndoOrRedo(_undo, LocalEditKind.Undo);

    /// <summary>Redoes the most recently undone edit and queues it for the server.</summary>
    /// <returns>The submission to send now, or <see langword="null"/> (queued in the buffer, or nothing to redo).</returns>
    public ClientSubmission? Redo() => UndoOrRedo(_redo, LocalEditKind.Redo);

    /// <summary>
    /// Restarts from a server snapshot, typically after <see cref="ProtocolError.ResyncRequired"/>: the document and
    /// revision become the snapshot's, pending edits are discarded and undo / redo history is cleared.
    /// </summary>
    /// <param name="snapshot">The server's document.</param>
    /// <returns>The discarded unacknowledged edits as one operation on the old revision's document (for the
    /// application to inspect or re-apply by other means), or <see langword="null"/> when there were none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is <see langword="null"/>.</exception>
    public TextOperation? Resync(DocumentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        TextOperation? discarded = Outstanding is null ? null : Buffer is null ? Outstanding : Outstanding.Compose(Buffer);
        _document = new TextBuffer(snapshot.Text);
        Revision = snapshot.Revision;
        Outstanding = null;
        Buffer = null;
        _undo.Clear();
        _redo.Clear();
        return discarded;
    }

    private ClientSubmission? UndoOrRedo(List<TextOperation> stack, LocalEditKind kind)
    {
        if (stack.Count == 0)
        {
            return null;
        }

        TextOperation operation = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        return ApplyLocalCore(operation, kind);
    }

    private ClientSubmission? ApplyLocalCore(TextOperation operation, LocalEditKind kind)
    {
        if (operation.IsIdentity)
        {
            return null;
        }

        TextOperation inverse = operation.Invert(_document);
        _document.Apply(operation);
        switch (kind)
        {
            case LocalEditKind.Edit:
                Push(_undo, inverse);
                _redo.Clear();
                break;
            case LocalEditKind.Undo:
                Push(_redo, inverse);
                break;
            default:
                Push(_undo, inverse);
                break;
        }

        if (Outstanding is null)
        {
            Outstanding = operation;
            return new ClientSubmission(ClientId, Revision, operation);
        }

        Buffer = Buffer is null ? operation : Buffer.Compose(operation);
        return null;
    }

    private void Push(List<TextOperation> stack, TextOperation inverse)
    {
        if (UndoLimit == 0)
        {
            return;
        }

        if (stack.Count == UndoLimit)
        {
            stack.RemoveAt(0);
        }

        stack.Add(inverse);
    }

    private void TransformStack(List<TextOperation> stack, TextOperation remote, string author)
    {
        TextOperation operation = remote;
        bool emptied = false;
        for (int i = stack.Count - 1; i >= 0; i--)
        {
            (TextOperation entry, operation) = TextOperation.Transform(stack[i], ClientId, operation, author);
            stack[i] = entry;
            emptied |= entry.IsIdentity;
        }

        if (emptied)
        {
            stack.RemoveAll(static entry => entry.IsIdentity);
        }
    }

    private void ThrowIfNotNext(long revision)
    {
        if (revision != Revision + 1)
        {
            throw new OtProtocolException(ProtocolError.OutOfOrderRevision, $"Client '{ClientId}' is at revision {Revision} and expected revision {Revision + 1} next, but received {revision}.");
        }
    }
}
