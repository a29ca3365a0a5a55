using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Protocol;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Server.Validation;

namespace Sync.Crdt.Server.Hosting;

/// <summary>A replicated-values document: one replicator whose peers are the connections that opened it.</summary>
internal sealed class ValuesDocumentHost : DocumentHost
{
    /// <summary>The sender of log entries another node committed (re-read from the store).</summary>
    private static readonly ReplicaId StoreFeed = new("sync.store-feed");
    private readonly Dictionary<ReplicaId, Subscription> _byReplica = [];
    private DeltaReplicator _replicator;
    private bool _pushNeeded;

    public ValuesDocumentHost(string name, HostServices services)
        : base(name, DocumentKind.Values, services)
    {
        _replicator = new DeltaReplicator(services.Options.ServerReplica);
    }

    private ReplicationSerializer Serializer => Services.Serializer;

    protected override void Load(StoredDocument document)
    {
        ReplicaId me = Services.Options.ServerReplica;
        ReplicatorSnapshot snapshot = document.Snapshot is { } s
            ? Serializer.DeserializeSnapshot(s.Payload.Span)
            : new ReplicatorSnapshot(me, VersionVector.Empty, []);
        List<DeltaLogEntry> log = document.Records.Select(record => Serializer.DeserializeLogEntry(record.Payload.Span)).ToList();
        try
        {
            _replicator = DeltaReplicator.Restore(snapshot, log, me);
        }
        catch (ArgumentException)
        {
            // Several nodes wrote this log, so it is not one replicator's chain: join the entries in log order, as
            // records of another node are applied at run time (each entry's start was held before its position).
            _replicator = DeltaReplicator.Restore(snapshot, me);
            foreach (DeltaLogEntry entry in log)
            {
                _replicator.Receive(new DeltaGroupMessage(StoreFeed, entry.From, entry.To, entry.Deltas));
            }
        }

        _byReplica.Clear();
    }

    protected override void ApplyStoredRecord(ReadOnlyMemory<byte> record)
    {
        DeltaLogEntry entry = Serializer.DeserializeLogEntry(record.Span);
        _replicator.Receive(new DeltaGroupMessage(StoreFeed, entry.From, entry.To, entry.Deltas));
        _pushNeeded = true;
    }

    protected override void OnOpen(Subscription subscription, OpenFrame open)
    {
        ReplicaId client = subscription.Replica;
        _byReplica[client] = subscription;
        _replicator.AddPeer(client);
        Send(subscription, new SyncedFrame(subscription.Channel, Serializer.SerializeToBytes(_replicator.CreateSyncMessage(client).Message)));
        if (!open.Handshake.IsEmpty)
        {
            ReplicationMessage message = Decode(open.Handshake);
            if (message is not DigestMessage)
            {
                throw new SyncProtocolException(SyncErrorCode.InvalidPayload, "A values handshake must be a digest.");
            }

            Receive(subscription, message);
        }
        else
        {
            Receive(subscription, new DigestMessage(client, VersionVector.Empty));
        }
    }

    protected override void OnUpdate(Subscription subscription, UpdateFrame update, long receivedAt)
    {
        ReplicationMessage message = Decode(update.Payload);
        ValuesWriteGuard.Check(_replicator, message, subscription.Replica, subscription.CanWrite, Name);
        Receive(subscription, message);
        Ack(subscription, update.Sequence, 0, receivedAt);
    }

    protected override void OnDetach(Subscription subscription)
    {
        if (_byReplica.TryGetValue(subscription.Replica, out Subscription? current) && ReferenceEquals(current, subscription))
        {
            _byReplica.Remove(subscription.Replica);
            _replicator.RemovePeer(subscription.Replica);
        }
    }

    protected override void AfterBatch()
    {
        if (_pushNeeded)
        {
            _pushNeeded = false;
            Route(_replicator.CreatePushMessages());
        }
    }

    protected override ReadOnlyMemory<byte> CreateSnapshot() => Serializer.SerializeToBytes(_replicator.CreateSnapshot());

    private void Receive(Subscription subscription, ReplicationMessage message)
    {
        if (message.Sender != subscription.Replica)
        {
            throw new SyncProtocolException(SyncErrorCode.ForgedDots, $"The connection of replica {subscription.Replica} sent a message from {message.Sender}.");
        }

        ReceiveResult result;
        try
        {
            result = _replicator.Receive(message);
        }
        catch (ReplicationProtocolException e)
        {
            throw new SyncProtocolException(SyncErrorCode.InvalidPayload, e.Message, e);
        }

        if (result.Entry is { } entry)
        {
            Append(Serializer.SerializeToBytes(entry));
            _pushNeeded = true;
        }

        Route(result.Replies);
    }

    private void Route(IReadOnlyList<OutgoingMessage> messages)
    {
        foreach (OutgoingMessage outgoing in messages)
        {
            if (_byReplica.TryGetValue(outgoing.Recipient, out Subscription? target))
            {
                Send(target, new UpdateFrame(target.Channel, 0, Serializer.SerializeToBytes(outgoing.Message)));
            }
        }
    }

    private ReplicationMessage Decode(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return Serializer.Deserialize(payload.Span);
        }
        catch (CrdtFormatException e)
        {
            throw new SyncProtocolException(SyncErrorCode.InvalidPayload, "The replication message does not decode: " + e.Message, e);
        }
    }
}
