using System;
using System.Threading;
using Sync.Crdt.Protocol;
using Sync.Ot;

namespace Sync.Crdt.Client;

/// <summary>An OT document served by the server's OT engine: local operations apply at once, one is in flight at a
/// time, and the rest wait in a buffer until the server acknowledges it (the classic central-server OT client).</summary>
/// <remarks>Kept in memory (not in the client store). Thread-safe.</remarks>
public sealed class OtSyncDocument : SyncDocument
{
    private readonly OtClient _client;
    private long _sequence;
    private long _outstandingSequence;

    internal OtSyncDocument(CrdtSyncClient client, string name)
        : base(client, name, DocumentKind.Ot)
    {
        _client = new OtClient(client.Options.Replica.Value, new DocumentSnapshot(0, string.Empty));
    }

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
    public void Apply(TextEdit edit)
    {
        lock (Gate)
        {
            Submit(_client.ApplyLocal(edit));
        }

        RaiseChanged();
    }

    /// <summary>Applies a local operation (its base length must be <see cref="CodePointLength"/>).</summary>
    /// <param name="operation">The operation.</param>
    public void Apply(TextOperation operation)
    {
        lock (Gate)
        {
            Submit(_client.ApplyLocal(operation));
        }

        RaiseChanged();
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
        lock (Gate)
        {
            OtSyncAnswer answer = PayloadCodec.DecodeOtSyncAnswer(payload.Span);
            if (answer.Snapshot is { } snapshot)
            {
                // The server can no longer transform from our revision: restart from its snapshot. Unacknowledged
                // operations cannot be rebased without the history and are discarded (see docs/server.md, "Limits").
                _client.Resync(snapshot);
                _outstandingSequence = 0;
            }

            foreach (OtCommittedOperation committed in answer.Operations)
            {
                Incoming(committed);
            }

            if (_client.Outstanding is { } outstanding && _outstandingSequence > 0)
            {
                Client.TrySend(new UpdateFrame(Channel, _outstandingSequence, PayloadCodec.Encode(new OtSubmission(_client.Revision, outstanding))));
            }
        }

        MarkSynced();
        RaiseChanged();
    }

    internal override void OnUpdate(ReadOnlyMemory<byte> payload)
    {
        lock (Gate)
        {
            Incoming(PayloadCodec.DecodeOtCommitted(payload.Span));
        }

        RaiseChanged();
    }

    internal override void OnAck(long sequence, long revision)
    {
        lock (Gate)
        {
            if (sequence == _outstandingSequence && _client.Outstanding is not null && revision == _client.Revision + 1)
            {
                _outstandingSequence = 0;
                Submit(_client.Acknowledge(revision));
            }
        }

        CheckAcknowledged();
    }

    private void Incoming(OtCommittedOperation committed)
    {
        if (committed.Revision <= _client.Revision)
        {
            return;
        }

        if (committed.Author == _client.ClientId && committed.Sequence == _outstandingSequence && _client.Outstanding is not null)
        {
            // Our own operation, applied before its ack was lost.
            _outstandingSequence = 0;
            Submit(_client.Acknowledge(committed.Revision));
            return;
        }

        _client.ApplyRemote(committed.ToRevisioned());
    }

    private void Submit(ClientSubmission? submission)
    {
        if (submission is null)
        {
            return;
        }

        _outstandingSequence = Interlocked.Increment(ref _sequence);
        if (IsSynced)
        {
            Client.TrySend(new UpdateFrame(Channel, _outstandingSequence, PayloadCodec.Encode(new OtSubmission(submission.BaseRevision, submission.Operation))));
        }
    }
}
