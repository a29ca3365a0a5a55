using System;
using System.Collections.Generic;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Protocol.Sessions;

/// <summary>
/// The protocol state machine of one document, sans I/O: it takes inputs (a member opened, a frame arrived, a stored
/// record was read, the batch ended, the commit is done) and returns outputs (frames to send, a commit to make, a
/// reload, a timer). It never awaits, never reads a clock and never touches a socket or a store.
/// </summary>
/// <remarks>
/// <para><b>Durable acks.</b> Every frame produced while handling a batch is held. <see cref="DocumentInputKind.EndBatch"/>
/// either releases them (nothing to store) or emits one <see cref="DocumentOutputKind.Commit"/> with the batch's records;
/// the held frames, acks included, are released only by <see cref="DocumentInputKind.CommitDone"/>. While the commit
/// is outstanding only <see cref="DocumentInputKind.StoredRecord"/> is accepted besides the report (records other nodes
/// appended before this commit, which the adapter applies before moving its cursor). A
/// <see cref="DocumentInputKind.CommitFailed"/> drops them, fails every channel and asks for a reload.</para>
/// <para><b>Errors.</b> A member that breaks the protocol (a <see cref="SyncProtocolException"/> from the kind's logic) is
/// dropped at once and a <see cref="DocumentOutputKind.ChannelFailed"/> is emitted immediately; the frames held for it are
/// not released. Other members are unaffected.</para>
/// <para><b>Thread safety.</b> None: one adapter loop owns a session.</para>
/// </remarks>
internal abstract class DocumentSession
{
    private readonly HashSet<SessionMember> _members = [];
    private readonly List<ReadOnlyMemory<byte>> _appends = [];
    private readonly List<DocumentOutput> _held = [];
    private List<DocumentOutput>? _outputs;
    private bool _committing;
    private bool _reloadRequested;

    protected DocumentSession(string name, DocumentKind kind)
    {
        Name = name;
        Kind = kind;
    }

    public string Name { get; }

    public DocumentKind Kind { get; }

    /// <summary>Whether a commit was asked for and not yet reported.</summary>
    public bool IsCommitting => _committing;

    /// <summary>The members whose channel is open.</summary>
    public IReadOnlyCollection<SessionMember> Members => _members;

    protected IReadOnlyCollection<SessionMember> Subscribers => _members;

    /// <summary>Replaces the in-memory state with the stored document (snapshot plus log). Throws a
    /// <see cref="SyncProtocolException"/>, <see cref="ArgumentException"/> or format exception when it does not decode.</summary>
    public abstract void Load(StoredDocument document);

    /// <summary>The state as one snapshot payload (the store's compaction).</summary>
    public abstract ReadOnlyMemory<byte> CreateSnapshot();

    /// <summary>Handles one input, appending what to do to <paramref name="outputs"/> in order.</summary>
    /// <exception cref="InvalidOperationException">An input other than a commit report while a commit is outstanding,
    /// or a commit report without one.</exception>
    public void Handle(in DocumentInput input, List<DocumentOutput> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        bool report = input.Kind is DocumentInputKind.CommitDone or DocumentInputKind.CommitFailed;
        if (report != _committing && !(_committing && input.Kind == DocumentInputKind.StoredRecord))
        {
            throw new InvalidOperationException(_committing ? "A commit is outstanding: report it first." : "No commit is outstanding.");
        }

        _outputs = outputs;
        try
        {
            Dispatch(input);
        }
        finally
        {
            _outputs = null;
        }
    }

    /// <summary>Deactivates every member without output (the adapter's loop ended: the document was unloaded).</summary>
    public void Close()
    {
        foreach (SessionMember member in _members)
        {
            member.Active = false;
        }

        _members.Clear();
        _held.Clear();
    }

    /// <summary>The stored history an open needs before it can be answered (a pure query the adapter asks before feeding
    /// the open; it reads the range and passes it in <see cref="DocumentInput.History"/>): the revisions after
    /// <c>From</c> through <c>Through</c>, or null. Never throws; a bad handshake fails when the open is handled.</summary>
    public virtual (long From, long Through)? HistoryToRead(OpenFrame open) => null;

    protected abstract void OnOpen(SessionMember member, OpenFrame open, long now, IReadOnlyList<OtCommittedOperation>? history);

    protected abstract void OnUpdate(SessionMember member, UpdateFrame update, long receivedAt);

    protected abstract void ApplyStoredRecord(ReadOnlyMemory<byte> record);

    protected virtual void OnPresence(SessionMember member, PresenceFrame presence, long now) =>
        throw new SyncProtocolException(SyncErrorCode.InvalidPayload, "Presence is only supported on text documents.");

    protected virtual void OnDetach(SessionMember member)
    {
    }

    protected virtual void OnTick(long now)
    {
    }

    protected virtual void AfterBatch()
    {
    }

    /// <summary>Adds a record to this batch's commit.</summary>
    protected void Append(ReadOnlyMemory<byte> record) => _appends.Add(record);

    /// <summary>Holds a frame for the member until the batch is durable.</summary>
    protected void Send(SessionMember member, SyncFrame frame) => _held.Add(DocumentOutput.Send(member, frame));

    /// <summary>Holds an acknowledgement (for a non-zero sequence) until the batch is durable.</summary>
    protected void Ack(SessionMember member, long sequence, long revision, long receivedAt)
    {
        if (sequence > 0)
        {
            _held.Add(DocumentOutput.Send(member, new AckFrame(member.Channel, sequence, revision), receivedAt));
        }
    }

    /// <summary>Asks for the state to be rebuilt from the store once the batch is settled (a change was rejected after it
    /// touched memory).</summary>
    protected void RequestReload() => _reloadRequested = true;

    /// <summary>Asks the adapter for a tick at <paramref name="at"/> (session clock).</summary>
    protected void WakeAt(long at) => _outputs!.Add(DocumentOutput.WakeAt(at));

    private void Dispatch(in DocumentInput input)
    {
        SessionMember? member = input.Member;
        try
        {
            switch (input.Kind)
            {
                case DocumentInputKind.Open:
                    _members.Add(member!);
                    member!.Active = true;
                    OnOpen(member, (OpenFrame)input.Frame!, input.Now, input.History);
                    break;
                case DocumentInputKind.Detach:
                    if (_members.Remove(member!))
                    {
                        member!.Active = false;
                        OnDetach(member);
                    }

                    break;
                case DocumentInputKind.Frame when member is { Active: true }:
                    switch (input.Frame)
                    {
                        case UpdateFrame update:
                            OnUpdate(member, update, input.ReceivedAt);
                            break;
                        case PresenceFrame presence:
                            OnPresence(member, presence, input.Now);
                            break;
                        default:
                            throw new SyncProtocolException(SyncErrorCode.InvalidPayload, $"A document does not take {input.Frame?.Type} frames.");
                    }

                    break;
                case DocumentInputKind.StoredRecord:
                    ApplyStoredRecord(input.Record);
                    break;
                case DocumentInputKind.Tick:
                    OnTick(input.Now);
                    break;
                case DocumentInputKind.EndBatch:
                    EndBatch();
                    break;
                case DocumentInputKind.CommitDone:
                    // Records of other nodes the adapter applied before reporting (its cursor never skips them) are
                    // pushed with the batch.
                    _committing = false;
                    AfterBatch();
                    Release();
                    break;
                case DocumentInputKind.CommitFailed:
                    _committing = false;
                    FailAll(input.Code, "The server could not commit the document; nothing was acknowledged. Open it again.");
                    _held.Clear();
                    _reloadRequested = false;
                    _outputs!.Add(DocumentOutput.Reload());
                    break;
                case DocumentInputKind.CloseAll:
                    FailAll(input.Code, input.Message ?? "The document is unavailable.");
                    _held.Clear();
                    _appends.Clear();
                    break;
            }
        }
        catch (SyncProtocolException e) when (member is not null)
        {
            if (_members.Remove(member))
            {
                member.Active = false;
                OnDetach(member);
            }

            _outputs!.Add(DocumentOutput.Failed(member, e.Code, e.Message));
        }
    }

    private void EndBatch()
    {
        AfterBatch();
        if (_appends.Count == 0)
        {
            Release();
            return;
        }

        ReadOnlyMemory<byte>[] appends = [.. _appends];
        _appends.Clear();
        _committing = true;
        _outputs!.Add(DocumentOutput.Commit(appends));
    }

    private void Release()
    {
        foreach (DocumentOutput output in _held)
        {
            if (output.Member!.Active)
            {
                _outputs!.Add(output);
            }
        }

        _held.Clear();
        if (_reloadRequested)
        {
            _reloadRequested = false;
            _outputs!.Add(DocumentOutput.Reload());
        }
    }

    private void FailAll(SyncErrorCode code, string message)
    {
        foreach (SessionMember member in _members)
        {
            member.Active = false;
            OnDetach(member);
            _outputs!.Add(DocumentOutput.Failed(member, code, message));
        }

        _members.Clear();
    }
}
