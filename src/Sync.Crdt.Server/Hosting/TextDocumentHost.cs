using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Protocol;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Text;

namespace Sync.Crdt.Server.Hosting;

/// <summary>A collaborative text document: one <see cref="TextDocument"/>, its updates as the store's log, and the
/// participants' ephemeral presence.</summary>
internal sealed class TextDocumentHost : DocumentHost
{
    private readonly Dictionary<ReplicaId, (byte[] State, long ExpiresAt, Subscription From)> _presence = [];
    private TextDocument _document;

    public TextDocumentHost(string name, HostServices services)
        : base(name, DocumentKind.Text, services)
    {
        _document = new TextDocument(services.Options.ServerReplica);
    }

    protected override void Load(StoredDocument document)
    {
        _document = new TextDocument(Services.Options.ServerReplica);
        if (document.Snapshot is { } snapshot)
        {
            _document.ApplyUpdate(snapshot.Payload.Span);
        }

        foreach (LogRecord record in document.Records)
        {
            _document.ApplyUpdate(record.Payload.Span);
        }
    }

    protected override void ApplyStoredRecord(ReadOnlyMemory<byte> record)
    {
        _document.ApplyUpdate(record.Span);
        foreach (Subscription subscriber in Subscribers)
        {
            Send(subscriber, new UpdateFrame(subscriber.Channel, 0, record));
        }
    }

    protected override void OnOpen(Subscription subscription, OpenFrame open)
    {
        VersionVector client = PayloadCodec.DecodeTextStateVector(open.Handshake.Span);
        var answer = new TextSyncAnswer(_document.StateVector, _document.EncodeStateAsUpdate(client));
        Send(subscription, new SyncedFrame(subscription.Channel, PayloadCodec.Encode(answer)));
        long now = Services.Time.GetTimestamp();
        foreach ((ReplicaId replica, (byte[] state, long expiresAt, Subscription _)) in _presence)
        {
            if (replica != subscription.Replica && expiresAt > now)
            {
                Send(subscription, new PresenceFrame(subscription.Channel, replica, state));
            }
        }
    }

    protected override void OnUpdate(Subscription subscription, UpdateFrame update, long receivedAt)
    {
        if (!subscription.CanWrite)
        {
            throw new SyncProtocolException(SyncErrorCode.WriteForbidden, $"Replica {subscription.Replica} may not write document '{Name}'.");
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
            if (dot.Replica != subscription.Replica && dot.Counter > held[dot.Replica])
            {
                throw new SyncProtocolException(SyncErrorCode.ForgedDots, $"Replica {subscription.Replica} sent text of replica {dot.Replica} that the server does not hold.");
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
        Ack(subscription, update.Sequence, 0, receivedAt);
        foreach (Subscription other in Subscribers)
        {
            if (!ReferenceEquals(other, subscription))
            {
                Send(other, new UpdateFrame(other.Channel, 0, update.Payload));
            }
        }
    }

    protected override void OnPresence(Subscription subscription, PresenceFrame presence)
    {
        if (!presence.Payload.IsEmpty)
        {
            PayloadCodec.DecodePresence(presence.Payload.Span);
            byte[] state = presence.Payload.ToArray();
            _presence[subscription.Replica] = (state, Services.Time.GetTimestamp() + Ticks(Services.Options.PresenceTimeout), subscription);
        }
        else if (!_presence.Remove(subscription.Replica))
        {
            return;
        }

        Broadcast(subscription, subscription.Replica, presence.Payload);
    }

    protected override void OnDetach(Subscription subscription)
    {
        if (_presence.TryGetValue(subscription.Replica, out var entry) && ReferenceEquals(entry.From, subscription))
        {
            _presence.Remove(subscription.Replica);
            Broadcast(subscription, subscription.Replica, ReadOnlyMemory<byte>.Empty);
        }
    }

    protected override void OnTick()
    {
        long now = Services.Time.GetTimestamp();
        List<ReplicaId>? expired = null;
        foreach ((ReplicaId replica, (byte[] _, long expiresAt, Subscription _)) in _presence)
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

    protected override ReadOnlyMemory<byte> CreateSnapshot() => _document.EncodeStateAsUpdate().ToArray();

    private void Broadcast(Subscription? except, ReplicaId replica, ReadOnlyMemory<byte> payload)
    {
        foreach (Subscription other in Subscribers)
        {
            if (!ReferenceEquals(other, except))
            {
                Send(other, new PresenceFrame(other.Channel, replica, payload));
            }
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Services.Time.TimestampFrequency);
}
