using System;
using System.Collections.Generic;
using Sync.Crdt.Replication.Storage;
using Sync.Ot;

namespace Sync.Crdt.Protocol.Sessions;

/// <summary>The session of an OT document: one <see cref="OtServer"/>, its committed operations as the store's log,
/// and per author the last applied sequence (so a resend after a lost ack is acknowledged, not applied twice). The
/// handshake is the client's revision; the answer is the operations since then, or a snapshot when they are no longer
/// kept.</summary>
internal sealed class OtSession : DocumentSession
{
    private readonly List<OtCommittedOperation> _recent = [];
    private readonly Dictionary<string, (long Sequence, long Revision)> _lastByAuthor = new(StringComparer.Ordinal);
    private readonly int _historyLimit;
    private OtServer _server = new();

    public OtSession(string name, int historyLimit)
        : base(name, DocumentKind.Ot)
    {
        _historyLimit = historyLimit;
    }

    /// <summary>The revision the in-memory window of recent operations starts after.</summary>
    private long Oldest => _recent.Count > 0 ? _recent[0].Revision - 1 : _server.Revision;

    /// <summary>The current revision.</summary>
    public long Revision => _server.Revision;

    /// <summary>The current text.</summary>
    public DocumentSnapshot Snapshot() => _server.Snapshot();

    public override void Load(StoredDocument document)
    {
        _recent.Clear();
        _lastByAuthor.Clear();
        DocumentSnapshot initial = new(0, string.Empty);
        if (document.Snapshot is { } snapshot)
        {
            // The snapshot is the document plus, per author, its last applied operation's sequence and revision.
            OtSyncAnswer stored = PayloadCodec.DecodeOtSyncAnswer(snapshot.Payload.Span);
            initial = stored.Snapshot ?? initial;
            foreach (OtCommittedOperation last in stored.Operations)
            {
                _lastByAuthor[last.Author] = (last.Sequence, last.Revision);
            }
        }

        _server = new OtServer(initial, _historyLimit);
        foreach (LogRecord record in document.Records)
        {
            ApplyCommitted(PayloadCodec.DecodeOtCommitted(record.Payload.Span));
        }
    }

    public override ReadOnlyMemory<byte> CreateSnapshot()
    {
        var lasts = new List<OtCommittedOperation>(_lastByAuthor.Count);
        foreach ((string author, (long sequence, long revision)) in _lastByAuthor)
        {
            lasts.Add(new OtCommittedOperation(Math.Max(1, revision), author, sequence, TextOperation.Identity(0)));
        }

        return PayloadCodec.Encode(new OtSyncAnswer(_server.Snapshot(), lasts));
    }

    protected override void ApplyStoredRecord(ReadOnlyMemory<byte> record)
    {
        OtCommittedOperation committed = PayloadCodec.DecodeOtCommitted(record.Span);
        if (committed.Revision == _server.Revision + 1)
        {
            ApplyCommitted(committed);
            foreach (SessionMember subscriber in Subscribers)
            {
                Send(subscriber, new UpdateFrame(subscriber.Channel, 0, record));
            }
        }
    }

    public override (long From, long Through)? HistoryToRead(OpenFrame open)
    {
        ArgumentNullException.ThrowIfNull(open);
        long? revision;
        try
        {
            revision = PayloadCodec.DecodeOtHandshake(open.Handshake.Span);
        }
        catch (SyncProtocolException)
        {
            return null;
        }

        long oldest = Oldest;
        return revision is { } r && r < oldest ? (r, oldest) : null;
    }

    protected override void OnOpen(SessionMember member, OpenFrame open, long now, IReadOnlyList<OtCommittedOperation>? history)
    {
        long? revision = PayloadCodec.DecodeOtHandshake(open.Handshake.Span);
        OtSyncAnswer answer;
        long oldest = Oldest;
        if (revision is { } r && r >= oldest && r <= _server.Revision)
        {
            answer = new OtSyncAnswer(null, _recent.GetRange((int)(r - oldest), (int)(_server.Revision - r)));
        }
        else if (revision is { } behind && behind < oldest && history is { } older && older.Count == oldest - behind)
        {
            // Beyond the in-memory window, served from the stored log the adapter read (contiguous up to the window).
            answer = new OtSyncAnswer(null, [.. older, .. _recent]);
        }
        else
        {
            answer = new OtSyncAnswer(_server.Snapshot(), []);
        }

        Send(member, new SyncedFrame(member.Channel, PayloadCodec.Encode(answer)));
    }

    protected override void OnUpdate(SessionMember member, UpdateFrame update, long receivedAt)
    {
        if (!member.CanWrite)
        {
            throw new SyncProtocolException(SyncErrorCode.WriteForbidden, $"Replica {member.Replica} may not write document '{Name}'.");
        }

        if (update.Sequence == 0)
        {
            throw new SyncProtocolException(SyncErrorCode.InvalidPayload, "An OT update needs a sequence number.");
        }

        OtSubmission submission = PayloadCodec.DecodeOtSubmission(update.Payload.Span);
        string author = member.Replica.Value;
        if (_lastByAuthor.TryGetValue(author, out var last) && last.Sequence >= update.Sequence)
        {
            Ack(member, update.Sequence, last.Revision, receivedAt);
            return;
        }

        ServerResponse response = _server.Receive(new ClientSubmission(author, submission.BaseRevision, submission.Operation));
        if (!response.IsAccepted)
        {
            throw new SyncProtocolException(
                response.Error == ProtocolError.ResyncRequired ? SyncErrorCode.ResyncRequired : SyncErrorCode.InvalidPayload,
                response.Message);
        }

        RevisionedOperation applied = response.Applied!;
        var committed = new OtCommittedOperation(applied.Revision, author, update.Sequence, applied.Operation);
        Remember(committed);
        byte[] payload = PayloadCodec.Encode(committed);
        Append(payload);
        Ack(member, update.Sequence, applied.Revision, receivedAt);
        foreach (SessionMember other in Subscribers)
        {
            if (!ReferenceEquals(other, member))
            {
                Send(other, new UpdateFrame(other.Channel, 0, payload));
            }
        }
    }

    private void ApplyCommitted(OtCommittedOperation committed)
    {
        ServerResponse response = _server.Receive(new ClientSubmission(committed.Author, committed.Revision - 1, committed.Operation));
        if (!response.IsAccepted || response.Applied!.Revision != committed.Revision)
        {
            throw new ArgumentException($"The stored OT operation r{committed.Revision} does not apply: {response.Message}");
        }

        Remember(committed);
    }

    private void Remember(OtCommittedOperation committed)
    {
        _lastByAuthor[committed.Author] = (committed.Sequence, committed.Revision);
        _recent.Add(committed);
        if (_recent.Count > _historyLimit)
        {
            _recent.RemoveRange(0, _recent.Count - _historyLimit);
        }
    }
}
