using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Sync.Crdt.Protocol;
using Sync.Crdt.Replication.Storage;
using Sync.Ot;

namespace Sync.Crdt.Server.Hosting;

/// <summary>An OT document: one <see cref="OtServer"/>, its committed operations as the store's log, and per author the
/// last applied sequence (so a resend after a lost ack is acknowledged, not applied twice).</summary>
internal sealed class OtDocumentHost : DocumentHost
{
    private readonly List<OtCommittedOperation> _recent = [];
    private readonly Dictionary<string, (long Sequence, long Revision)> _lastByAuthor = new(StringComparer.Ordinal);
    private OtServer _server = new();
    private List<OtCommittedOperation>? _backfill;

    public OtDocumentHost(string name, HostServices services)
        : base(name, DocumentKind.Ot, services)
    {
    }

    protected override void Load(StoredDocument document)
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

        _server = new OtServer(initial, Services.Options.OtHistoryLimit);
        foreach (LogRecord record in document.Records)
        {
            ApplyCommitted(PayloadCodec.DecodeOtCommitted(record.Payload.Span));
        }
    }

    protected override void ApplyStoredRecord(ReadOnlyMemory<byte> record)
    {
        OtCommittedOperation committed = PayloadCodec.DecodeOtCommitted(record.Span);
        if (committed.Revision == _server.Revision + 1)
        {
            ApplyCommitted(committed);
            foreach (Subscription subscriber in Subscribers)
            {
                Send(subscriber, new UpdateFrame(subscriber.Channel, 0, record));
            }
        }
    }

    protected override async ValueTask PrepareOpenAsync(OpenFrame open)
    {
        _backfill = null;
        long? revision = PayloadCodec.DecodeOtHandshake(open.Handshake.Span);
        long oldest = _recent.Count > 0 ? _recent[0].Revision - 1 : _server.Revision;
        if (revision is { } r && r < oldest)
        {
            _backfill = await OtHistoryBackfill.ReadAsync(Services.Store, Name, r, oldest, Services.Logger).ConfigureAwait(false);
        }
    }

    protected override void OnOpen(Subscription subscription, OpenFrame open)
    {
        long? revision = PayloadCodec.DecodeOtHandshake(open.Handshake.Span);
        OtSyncAnswer answer;
        long oldest = _recent.Count > 0 ? _recent[0].Revision - 1 : _server.Revision;
        if (revision is { } r && r >= oldest && r <= _server.Revision)
        {
            answer = new OtSyncAnswer(null, _recent.GetRange((int)(r - oldest), (int)(_server.Revision - r)));
        }
        else if (revision is { } behind && _backfill is { } older && behind < oldest)
        {
            // Beyond the in-memory window, served from the stored log (OtHistoryBackfill checked it is contiguous).
            answer = new OtSyncAnswer(null, [.. older, .. _recent]);
        }
        else
        {
            answer = new OtSyncAnswer(_server.Snapshot(), []);
        }

        _backfill = null;

        Send(subscription, new SyncedFrame(subscription.Channel, PayloadCodec.Encode(answer)));
    }

    protected override void OnUpdate(Subscription subscription, UpdateFrame update, long receivedAt)
    {
        if (!subscription.CanWrite)
        {
            throw new SyncProtocolException(SyncErrorCode.WriteForbidden, $"Replica {subscription.Replica} may not write document '{Name}'.");
        }

        if (update.Sequence == 0)
        {
            throw new SyncProtocolException(SyncErrorCode.InvalidPayload, "An OT update needs a sequence number.");
        }

        OtSubmission submission = PayloadCodec.DecodeOtSubmission(update.Payload.Span);
        string author = subscription.Replica.Value;
        if (_lastByAuthor.TryGetValue(author, out var last) && last.Sequence >= update.Sequence)
        {
            Ack(subscription, update.Sequence, last.Revision, receivedAt);
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
        Ack(subscription, update.Sequence, applied.Revision, receivedAt);
        foreach (Subscription other in Subscribers)
        {
            if (!ReferenceEquals(other, subscription))
            {
                Send(other, new UpdateFrame(other.Channel, 0, payload));
            }
        }
    }

    protected override ReadOnlyMemory<byte> CreateSnapshot()
    {
        var lasts = new List<OtCommittedOperation>(_lastByAuthor.Count);
        foreach ((string author, (long sequence, long revision)) in _lastByAuthor)
        {
            lasts.Add(new OtCommittedOperation(Math.Max(1, revision), author, sequence, TextOperation.Identity(0)));
        }

        return PayloadCodec.Encode(new OtSyncAnswer(_server.Snapshot(), lasts));
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
        if (_recent.Count > Services.Options.OtHistoryLimit)
        {
            _recent.RemoveRange(0, _recent.Count - Services.Options.OtHistoryLimit);
        }
    }
}
