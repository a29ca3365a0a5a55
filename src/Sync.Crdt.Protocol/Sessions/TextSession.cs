using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Text;

namespace Sync.Crdt.Protocol.Sessions;

/// <summary>The session of a collaborative text document: one <see cref="TextDocument"/>, its updates as the store's
/// log, and the members' ephemeral presence. The handshake is the client's state vector; the answer is the server's
/// state vector (what it lacks) and the update the client lacks. An update is checked for write permission, forged text
/// (characters of another replica the server does not hold) and missing dependencies before it is stored.</summary>
internal sealed class TextSession : DocumentSession
{
    private readonly Dictionary<ReplicaId, (byte[] State, long ExpiresAt, SessionMember From)> _presence = [];
    private readonly ReplicaId _me;
    private readonly long _presenceTimeout;
    private TextDocument _document;

    /// <param name="name">The document name.</param>
    /// <param name="server">The server's replica id.</param>
    /// <param name="presenceTimeout">How long a presence state lives, in session-clock units.</param>
    public TextSession(string name, ReplicaId server, long presenceTimeout)
        : base(name, DocumentKind.Text)
    {
        _me = server;
        _presenceTimeout = presenceTimeout;
        _document = new TextDocument(server);
    }

    /// <summary>The document (read access for tests and diagnostics).</summary>
    public TextDocument Document => _document;

    /// <summary>How many participants have a live presence.</summary>
    public int PresenceCount => _presence.Count;

    public override void Load(StoredDocument document)
    {
        _document = new TextDocument(_me);
        if (document.Snapshot is { } snapshot)
        {
            _document.ApplyUpdate(snapshot.Payload.Span);
        }

        foreach (LogRecord record in document.Records)
        {
            _document.ApplyUpdate(record.Payload.Span);
        }
    }

    public override ReadOnlyMemory<byte> CreateSnapshot() => _document.EncodeStateAsUpdate().ToArray();

    protected override void ApplyStoredRecord(ReadOnlyMemory<byte> record)
    {
        _document.ApplyUpdate(record.Span);
        foreach (SessionMember subscriber in Subscribers)
        {
            Send(subscriber, new UpdateFrame(subscriber.Channel, 0, record));
        }
    }

    protected override void OnOpen(SessionMember member, OpenFrame open, long now, IReadOnlyList<OtCommittedOperation>? history)
    {
        VersionVector client = PayloadCodec.DecodeTextStateVector(open.Handshake.Span);
        var answer = new TextSyncAnswer(_document.StateVector, _document.EncodeStateAsUpdate(client));
        Send(member, new SyncedFrame(member.Channel, PayloadCodec.Encode(answer)));
        foreach ((ReplicaId replica, (byte[] state, long expiresAt, SessionMember _)) in _presence)
        {
            if (replica != member.Replica && expiresAt > now)
            {
                Send(member, new PresenceFrame(member.Channel, replica, state));
            }
        }
    }

    protected override void OnUpdate(SessionMember member, UpdateFrame update, long receivedAt)
    {
        if (!member.CanWrite)
        {
            throw new SyncProtocolException(SyncErrorCode.WriteForbidden, $"Replica {member.Replica} may not write document '{Name}'.");
        }

        VersionVector extent;
        try
        {
            extent = TextUpdateInspector.GetInsertedExtent(update.Payload.Span);
        }
        catch (CrdtFormatException e)
        {
            throw new SyncProtocolException(SyncErrorCode.InvalidPayload, "The text update does not decode: " + e.Message, e);
        }

        VersionVector held = _document.StateVector;
        foreach (Dot dot in extent)
        {
            if (dot.Replica != member.Replica && dot.Counter > held[dot.Replica])
            {
                throw new SyncProtocolException(SyncErrorCode.ForgedDots, $"Replica {member.Replica} sent text of replica {dot.Replica} that the server does not hold.");
            }
        }

        int pending = _document.PendingCount;
        _document.ApplyUpdate(update.Payload.Span);
        if (_document.PendingCount > pending)
        {
            // The update refers to text nobody sent: it cannot be integrated. Undo it by reloading from the store.
            RequestReload();
            throw new SyncProtocolException(SyncErrorCode.InvalidPayload, "The text update depends on text the server does not hold.");
        }

        Append(update.Payload);
        Ack(member, update.Sequence, 0, receivedAt);
        foreach (SessionMember other in Subscribers)
        {
            if (!ReferenceEquals(other, member))
            {
                Send(other, new UpdateFrame(other.Channel, 0, update.Payload));
            }
        }
    }

    protected override void OnPresence(SessionMember member, PresenceFrame presence, long now)
    {
        if (!presence.Payload.IsEmpty)
        {
            PayloadCodec.DecodePresence(presence.Payload.Span);
            byte[] state = presence.Payload.ToArray();
            long expiresAt = now + _presenceTimeout;
            _presence[member.Replica] = (state, expiresAt, member);
            WakeAt(expiresAt);
        }
        else if (!_presence.Remove(member.Replica))
        {
            return;
        }

        Broadcast(member, member.Replica, presence.Payload);
    }

    protected override void OnDetach(SessionMember member)
    {
        if (_presence.TryGetValue(member.Replica, out var entry) && ReferenceEquals(entry.From, member))
        {
            _presence.Remove(member.Replica);
            Broadcast(member, member.Replica, ReadOnlyMemory<byte>.Empty);
        }
    }

    protected override void OnTick(long now)
    {
        List<ReplicaId>? expired = null;
        foreach ((ReplicaId replica, (byte[] _, long expiresAt, SessionMember _)) in _presence)
        {
            if (expiresAt <= now)
            {
                (expired ??= []).Add(replica);
            }
        }

        foreach (ReplicaId replica in expired ?? [])
        {
            _presence.Remove(replica);
            Broadcast(null, replica, ReadOnlyMemory<byte>.Empty);
        }
    }

    private void Broadcast(SessionMember? except, ReplicaId replica, ReadOnlyMemory<byte> payload)
    {
        foreach (SessionMember other in Subscribers)
        {
            if (!ReferenceEquals(other, except))
            {
                Send(other, new PresenceFrame(other.Channel, replica, payload));
            }
        }
    }
}
