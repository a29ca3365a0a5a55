using System;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Protocol;
using Sync.Crdt.Replication.Storage;
using Sync.Ot;

namespace Sync.Crdt.Client;

/// <summary>An OT document served by the server's OT engine: local operations apply at once, one is in flight at a
/// time, and the rest wait in a buffer until the server acknowledges it (the classic central-server OT client).</summary>
/// <remarks>
/// <para>With a client store (<see cref="CrdtSyncClientOptions.Store"/>) every local edit, received operation and
/// acknowledgement is committed locally, in order, and an operation leaves for the server only after the edits it
/// contains were committed; a new client on the same store resumes with exactly the unacknowledged operations and the
/// same sequence numbers, so the server applies each once. Without a store the document lives in memory.</para>
/// <para>A reconnecting client sends the revision it holds; the server answers with the operations since then (from
/// memory, or from its stored log), over which the pending operations are transformed and resent. Only when the
/// server's history no longer reaches back that far (compacted into a snapshot) does the document restart from the
/// server's snapshot; unacknowledged operations are then reported through <see cref="OperationsLost"/>, never dropped
/// silently.</para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class OtSyncDocument : SyncDocument
{
    /// <summary>After this many records the client store's log is replaced by a snapshot (when nothing is pending).</summary>
    private const int RecordsPerSnapshot = 256;

    private readonly string _me;
    private OtClient _client;
    private CommitQueue? _commits;
    private long _sequence;
    private long _outstandingSequence;
    private long _sentSequence;
    private long _recordsQueued;
    private long _recordsCommitted;
    private long _outstandingNeeds;
    private int _recordsSinceSnapshot;

    internal OtSyncDocument(CrdtSyncClient client, string name)
        : base(client, name, DocumentKind.Ot)
    {
        _me = client.Options.Replica.Value;
        _client = new OtClient(_me, new DocumentSnapshot(0, string.Empty));

        // The server applies each (author, sequence) once, so sequence numbers must keep growing across restarts under
        // one replica id: a new document starts from the clock; a client store carries the counter on.
        _sequence = DateTime.UtcNow.Ticks;
    }

    /// <summary>
    /// Raised when unacknowledged local operations could not be delivered because the server's history no longer
    /// reaches back to their revision; the document continues from the server's snapshot without them. Raised on the
    /// client's network thread, outside the document's lock, before <see cref="SyncDocument.Changed"/>.
    /// </summary>
    public event EventHandler<OtOperationsLostEventArgs>? OperationsLost;

    /// <inheritdoc/>
    public override bool HasPendingChanges
    {
        get
        {
            lock (Gate)
            {
                return _client.State != ClientState.Synchronized;
            }
        }
    }

    /// <summary>The current text.</summary>
    public string Text
    {
        get
        {
            lock (Gate)
            {
                return _client.Document;
            }
        }
    }

    /// <summary>The text's length in code points (the unit of OT operations).</summary>
    public int CodePointLength
    {
        get
        {
            lock (Gate)
            {
                return _client.DocumentCodePointLength;
            }
        }
    }

    /// <summary>The server revision this copy is based on.</summary>
    public long Revision
    {
        get
        {
            lock (Gate)
            {
                return _client.Revision;
            }
        }
    }

    /// <summary>Applies a local edit.</summary>
    /// <param name="edit">The edit (code point positions).</param>
    /// <exception cref="ArgumentOutOfRangeException">The edit reaches past the end of the text; nothing changes.</exception>
    public void Apply(TextEdit edit)
    {
        lock (Gate)
        {
            ApplyLocal(TextOperation.FromEdit(_client.DocumentCodePointLength, edit));
        }

        RaiseChanged();
    }

    /// <summary>Applies a local operation (its base length must be <see cref="CodePointLength"/>).</summary>
    /// <param name="operation">The operation.</param>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The operation does not apply to the current text; nothing changes.</exception>
    public void Apply(TextOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        lock (Gate)
        {
            ApplyLocal(operation);
        }

        RaiseChanged();
    }

    internal override async ValueTask LoadAsync(IDocumentStore store, CancellationToken cancellationToken)
    {
        StoredDocument stored = await store.LoadAsync(Name, cancellationToken).ConfigureAwait(false);
        lock (Gate)
        {
            _client = new OtClient(_me, new DocumentSnapshot(0, string.Empty));
            _outstandingSequence = 0;
            if (stored.Snapshot is { } snapshot)
            {
                Replay(snapshot.Payload);
            }

            foreach (LogRecord record in stored.Records)
            {
                Replay(record.Payload);
            }

            _commits = new CommitQueue(store, Name, stored.Head);
            _recordsSinceSnapshot = stored.Records.Length;
        }
    }

    internal override ReadOnlyMemory<byte> CreateHandshake()
    {
        lock (Gate)
        {
            return PayloadCodec.EncodeOtHandshake(_client.Revision);
        }
    }

    internal override void OnSynced(ReadOnlyMemory<byte> payload)
    {
        OtOperationsLostEventArgs? lost = null;
        lock (Gate)
        {
            OtSyncAnswer answer = PayloadCodec.DecodeOtSyncAnswer(payload.Span);
            if (answer.Snapshot is { } snapshot)
            {
                // The server can no longer transform from our revision: restart from its snapshot, and hand any
                // unacknowledged operations to the application (they cannot be rebased without the history).
                lost = Restart(snapshot);
            }

            foreach (OtCommittedOperation committed in answer.Operations)
            {
                Incoming(committed, replay: false);
            }

            _sentSequence = 0;
            TrySendOutstanding(handshake: true);
        }

        MarkSynced();
        if (lost is not null)
        {
            OperationsLost?.Invoke(this, lost);
        }

        RaiseChanged();
    }

    internal override void OnUpdate(ReadOnlyMemory<byte> payload)
    {
        lock (Gate)
        {
            Incoming(PayloadCodec.DecodeOtCommitted(payload.Span), replay: false);
        }

        RaiseChanged();
    }

    internal override void OnAck(long sequence, long revision)
    {
        lock (Gate)
        {
            if (sequence == _outstandingSequence && _client.Outstanding is not null && revision == _client.Revision + 1)
            {
                Incoming(new OtCommittedOperation(revision, _me, sequence, TextOperation.Identity(0)), replay: false);
            }
        }

        CheckAcknowledged();
    }

    private void ApplyLocal(TextOperation operation)
    {
        if (operation.IsIdentity && operation.BaseCodePointLength == _client.DocumentCodePointLength)
        {
            return;
        }

        long before = _sequence;
        ClientSubmission? submission = _client.ApplyLocal(operation);
        Persist(OtClientRecords.EncodeLocal(before, operation));
        Submit(submission);
    }

    private OtOperationsLostEventArgs? Restart(DocumentSnapshot snapshot)
    {
        TextOperation? outstanding = _client.Outstanding;
        TextOperation? buffer = _client.Buffer;
        long baseRevision = _client.Revision;
        string localText = _client.Document;
        _client.Resync(snapshot);
        _outstandingSequence = 0;
        Persist(OtClientRecords.EncodeSnapshot(snapshot, _me, _sequence));
        if (outstanding is null)
        {
            return null;
        }

        TextOperation[] operations = buffer is null ? [outstanding] : [outstanding, buffer];
        return new OtOperationsLostEventArgs(baseRevision, operations, localText, snapshot.Revision);
    }

    private void Incoming(OtCommittedOperation committed, bool replay)
    {
        if (committed.Revision <= _client.Revision)
        {
            return;
        }

        if (string.Equals(committed.Author, _me, StringComparison.Ordinal))
        {
            if (committed.Sequence == _outstandingSequence && _client.Outstanding is not null)
            {
                // The acknowledgement of our operation (or the operation itself, applied before its ack was lost).
                _outstandingSequence = 0;
                ClientSubmission? next = _client.Acknowledge(committed.Revision);
                PersistUnlessReplaying(replay, new OtCommittedOperation(committed.Revision, _me, committed.Sequence, TextOperation.Identity(0)));
                Submit(next);
                return;
            }

            if (_client.Outstanding is null)
            {
                // Our own operation from an earlier run under this replica id (one without a store): the server's text
                // is ours with it applied.
                _client.Resync(new DocumentSnapshot(committed.Revision, committed.Operation.Apply(_client.Document)));
                PersistUnlessReplaying(replay, committed);
                return;
            }
        }

        _client.ApplyRemote(committed.ToRevisioned());
        PersistUnlessReplaying(replay, committed);
    }

    private void PersistUnlessReplaying(bool replay, OtCommittedOperation committed)
    {
        if (!replay)
        {
            Persist(OtClientRecords.EncodeCommitted(committed));
        }
    }

    private void Replay(ReadOnlyMemory<byte> record)
    {
        (byte kind, ReadOnlyMemory<byte> payload) = OtClientRecords.Split(record);
        switch (kind)
        {
            case OtClientRecords.Local:
                OtSubmission local = PayloadCodec.DecodeOtSubmission(payload.Span);
                _sequence = local.BaseRevision;
                Submit(_client.ApplyLocal(local.Operation));
                break;
            case OtClientRecords.Committed:
                Incoming(PayloadCodec.DecodeOtCommitted(payload.Span), replay: true);
                break;
            default:
                OtSyncAnswer answer = PayloadCodec.DecodeOtSyncAnswer(payload.Span);
                _client.Resync(answer.Snapshot ?? new DocumentSnapshot(0, string.Empty));
                _outstandingSequence = 0;
                foreach (OtCommittedOperation counter in answer.Operations)
                {
                    _sequence = Math.Max(_sequence, counter.Sequence);
                }

                break;
        }
    }

    /// <summary>Queues a record for the client store (in document order); without a store it counts as committed.</summary>
    private void Persist(byte[] record)
    {
        long index = ++_recordsQueued;
        if (_commits is null)
        {
            _recordsCommitted = index;
            return;
        }

        _ = _commits.Enqueue(record, () =>
        {
            lock (Gate)
            {
                _recordsCommitted = index;
                TrySendOutstanding(handshake: false);
            }
        });
        if (++_recordsSinceSnapshot >= RecordsPerSnapshot && _client.State == ClientState.Synchronized)
        {
            _ = _commits.EnqueueSnapshot(OtClientRecords.EncodeSnapshot(new DocumentSnapshot(_client.Revision, _client.Document), _me, _sequence));
            _recordsSinceSnapshot = 0;
        }
    }

    private void Submit(ClientSubmission? submission)
    {
        if (submission is null)
        {
            return;
        }

        _outstandingSequence = Interlocked.Increment(ref _sequence);
        _outstandingNeeds = _recordsQueued;
        TrySendOutstanding(handshake: false);
    }

    /// <summary>Sends the in-flight operation once, when connected and once every edit it contains is committed locally.</summary>
    private void TrySendOutstanding(bool handshake)
    {
        if ((handshake || IsSynced) && Channel > 0 && _client.Outstanding is { } outstanding && _outstandingSequence > 0
            && _sentSequence != _outstandingSequence && _recordsCommitted >= _outstandingNeeds)
        {
            _sentSequence = _outstandingSequence;
            Client.TrySend(new UpdateFrame(Channel, _outstandingSequence, PayloadCodec.Encode(new OtSubmission(_client.Revision, outstanding))));
        }
    }
}
