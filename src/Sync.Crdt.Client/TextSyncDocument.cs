using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Causality;
using Sync.Crdt.Protocol;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Text;

namespace Sync.Crdt.Client;

/// <summary>A collaborative text document kept in sync with the server, with the other participants' presence.</summary>
/// <remarks>
/// Edits apply locally at once (<see cref="Insert"/>, <see cref="Delete"/>) and are sent when connected; each stays
/// pending until the server acknowledges it as durable. After a reconnect the handshake sends exactly what the server
/// lacks. With a client store, every update is committed locally too and the document is restored on open.
/// Thread-safe.
/// </remarks>
public sealed class TextSyncDocument : SyncDocument
{
    private readonly TextDocument _document;
    private readonly Dictionary<ReplicaId, PresenceState> _participants = [];
    private CommitQueue? _commits;
    private PresenceState? _presence;
    private ITimer? _presenceTimer;
    private long _sequence;
    private long _lastSent;
    private long _acknowledged;
    private bool _unsent;

    internal TextSyncDocument(CrdtSyncClient client, string name)
        : base(client, name, DocumentKind.Text)
    {
        _document = new TextDocument(client.Options.Replica);
    }

    /// <inheritdoc/>
    public override bool HasPendingChanges
    {
        get
        {
            lock (Gate)
            {
                return _unsent || _acknowledged < _lastSent;
            }
        }
    }

    /// <summary>The current text. O(length).</summary>
    public string Text
    {
        get
        {
            lock (Gate)
            {
                return _document.ToString();
            }
        }
    }

    /// <summary>
    /// What this replica has integrated: per replica, the number of characters (the next clock) it has seen. An
    /// immutable snapshot, useful for progress displays and for measuring propagation. O(replicas); allocates.
    /// </summary>
    public VersionVector StateVector
    {
        get
        {
            lock (Gate)
            {
                return _document.StateVector;
            }
        }
    }

    /// <summary>The length in UTF-16 code units.</summary>
    public int Length
    {
        get
        {
            lock (Gate)
            {
                return _document.Length;
            }
        }
    }

    /// <summary>The other participants' presence (a copy).</summary>
    public IReadOnlyDictionary<ReplicaId, PresenceState> Participants
    {
        get
        {
            lock (Gate)
            {
                return new Dictionary<ReplicaId, PresenceState>(_participants);
            }
        }
    }

    /// <summary>Raised when another participant's presence changes (or they leave).</summary>
    public event EventHandler<ReplicaId>? PresenceChanged;

    /// <summary>Inserts text at a UTF-16 index.</summary>
    /// <param name="index">Where to insert (0 to <see cref="Length"/>).</param>
    /// <param name="text">The text.</param>
    public void Insert(int index, string text)
    {
        lock (Gate)
        {
            Local(_document.Insert(index, text));
        }

        RaiseChanged();
    }

    /// <summary>Deletes a range of UTF-16 code units.</summary>
    /// <param name="index">Where the range starts.</param>
    /// <param name="length">How many code units.</param>
    public void Delete(int index, int length)
    {
        lock (Gate)
        {
            Local(_document.Delete(index, length));
        }

        RaiseChanged();
    }

    /// <summary>Resolves a participant's stable position to a current index.</summary>
    /// <param name="position">The position.</param>
    /// <param name="index">The index when resolved.</param>
    /// <returns><see langword="false"/> when the text it refers to has not arrived yet.</returns>
    public bool TryResolve(TextPosition position, out int index)
    {
        lock (Gate)
        {
            return _document.TryResolvePosition(position, out index);
        }
    }

    /// <summary>Publishes this user's selection (anchor to head, equal for a caret) and user information; refreshed
    /// automatically until <see cref="ClearPresence"/>. Never stored.</summary>
    /// <param name="anchor">The selection's anchor index.</param>
    /// <param name="head">The selection's head (caret) index.</param>
    /// <param name="userInfo">Application-defined user information (for example JSON with a name and a color).</param>
    public void SetPresence(int anchor, int head, string userInfo)
    {
        lock (Gate)
        {
            _presence = new PresenceState(_document.GetPosition(anchor), _document.GetPosition(head), userInfo);
            _presenceTimer ??= Client.Options.TimeProvider.CreateTimer(
                static state => ((TextSyncDocument)state!).SendPresence(), this, Client.Options.PresenceRefreshInterval, Client.Options.PresenceRefreshInterval);
        }

        SendPresence();
    }

    /// <summary>Withdraws this user's presence.</summary>
    public void ClearPresence()
    {
        lock (Gate)
        {
            _presence = null;
            _presenceTimer?.Dispose();
            _presenceTimer = null;
            if (IsSynced)
            {
                Client.TrySend(new PresenceFrame(Channel, default, ReadOnlyMemory<byte>.Empty));
            }
        }
    }

    internal override async ValueTask LoadAsync(IDocumentStore store, CancellationToken cancellationToken)
    {
        StoredDocument stored = await store.LoadAsync(Name, cancellationToken).ConfigureAwait(false);
        lock (Gate)
        {
            if (stored.Snapshot is { } snapshot)
            {
                _document.ApplyUpdate(snapshot.Payload.Span);
            }

            foreach (LogRecord record in stored.Records)
            {
                _document.ApplyUpdate(record.Payload.Span);
            }

            _commits = new CommitQueue(store, Name);
            _unsent = stored.Head > 0;
        }
    }

    internal override ReadOnlyMemory<byte> CreateHandshake()
    {
        lock (Gate)
        {
            return TextStateVector.Encode(_document.StateVector);
        }
    }

    internal override void OnSynced(ReadOnlyMemory<byte> payload)
    {
        lock (Gate)
        {
            TextSyncAnswer answer = PayloadCodec.DecodeTextSyncAnswer(payload.Span);
            _document.ApplyUpdate(answer.Update);
            _commits?.Enqueue(answer.Update.ToArray());
            _participants.Clear();

            // Send what the server lacks (our offline edits, or edits whose ack was lost) as one acknowledged update.
            TextUpdate missing = _document.EncodeStateAsUpdate(answer.StateVector);
            long sequence = ++_sequence;
            if (Client.TrySend(new UpdateFrame(Channel, sequence, missing.ToArray())))
            {
                _lastSent = sequence;
                _unsent = false;
            }

            if (_presence is not null)
            {
                Client.TrySend(new PresenceFrame(Channel, default, PayloadCodec.Encode(_presence)));
            }
        }

        MarkSynced();
        RaiseChanged();
    }

    internal override void OnUpdate(ReadOnlyMemory<byte> payload)
    {
        lock (Gate)
        {
            _document.ApplyUpdate(payload.Span);
            _commits?.Enqueue(payload.ToArray());
        }

        RaiseChanged();
    }

    internal override void OnAck(long sequence, long revision)
    {
        lock (Gate)
        {
            _acknowledged = Math.Max(_acknowledged, sequence);
        }

        CheckAcknowledged();
    }

    internal override void OnPresence(ReplicaId replica, ReadOnlyMemory<byte> payload)
    {
        if (replica.IsDefault)
        {
            return;
        }

        lock (Gate)
        {
            if (payload.IsEmpty)
            {
                _participants.Remove(replica);
            }
            else
            {
                _participants[replica] = PayloadCodec.DecodePresence(payload.Span);
            }
        }

        PresenceChanged?.Invoke(this, replica);
    }

    internal override void OnDisconnected()
    {
        base.OnDisconnected();
        lock (Gate)
        {
            _participants.Clear();
            if (_acknowledged < _lastSent)
            {
                _unsent = true;
            }
        }
    }

    private void Local(TextUpdate update)
    {
        _commits?.Enqueue(update.ToArray());
        long sequence = ++_sequence;
        if (IsSynced && Client.TrySend(new UpdateFrame(Channel, sequence, update.ToArray())))
        {
            _lastSent = sequence;
        }
        else
        {
            _unsent = true;
        }
    }

    private void SendPresence()
    {
        lock (Gate)
        {
            if (_presence is not null && IsSynced)
            {
                Client.TrySend(new PresenceFrame(Channel, default, PayloadCodec.Encode(_presence)));
            }
        }
    }
}
