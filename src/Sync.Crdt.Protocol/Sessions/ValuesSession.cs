using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Protocol.Validation;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Protocol.Sessions;

/// <summary>The session of a replicated-values document: one replicator whose peers are the members. The handshake is
/// the client's digest; the server answers with its own sync message (what it lacks) and the replicator's reply to the
/// digest (what the client lacks). An update is checked for ownership (a member writes only its own replica's events)
/// and write permission before the replicator sees it.</summary>
internal sealed class ValuesSession : DocumentSession
{
    /// <summary>The sender of log entries another node committed (re-read from the store).</summary>
    private static readonly ReplicaId StoreFeed = new("sync.store-feed");
    private readonly Dictionary<ReplicaId, SessionMember> _byReplica = [];
    private readonly ReplicaId _me;
    private readonly ReplicationSerializer _serializer;
    private DeltaReplicator _replicator;
    private bool _pushNeeded;

    public ValuesSession(string name, ReplicaId server, ReplicationSerializer serializer)
        : base(name, DocumentKind.Values)
    {
        _me = server;
        _serializer = serializer;
        _replicator = new DeltaReplicator(server);
    }

    /// <summary>Every event the document holds.</summary>
    public VersionVector Vector => _replicator.Vector;

    /// <summary>The replicator (read access for tests and diagnostics).</summary>
    public DeltaReplicator Replicator => _replicator;

    public override void Load(StoredDocument document)
    {
        ReplicatorSnapshot snapshot = document.Snapshot is { } s
            ? _serializer.DeserializeSnapshot(s.Payload.Span)
            : new ReplicatorSnapshot(_me, VersionVector.Empty, []);
        List<DeltaLogEntry> log = document.Records.Select(record => _serializer.DeserializeLogEntry(record.Payload.Span)).ToList();
        try
        {
            _replicator = DeltaReplicator.Restore(snapshot, log, _me);
        }
        catch (ArgumentException)
        {
            // Several nodes wrote this log, so it is not one replicator's chain: join the entries in log order, as
            // records of another node are applied at run time (each entry's start was held before its position).
            _replicator = DeltaReplicator.Restore(snapshot, _me);
            foreach (DeltaLogEntry entry in log)
            {
                _replicator.Receive(new DeltaGroupMessage(StoreFeed, entry.From, entry.To, entry.Deltas));
            }
        }

        _byReplica.Clear();
    }

    public override ReadOnlyMemory<byte> CreateSnapshot() => _serializer.SerializeToBytes(_replicator.CreateSnapshot());

    protected override void ApplyStoredRecord(ReadOnlyMemory<byte> record)
    {
        DeltaLogEntry entry = _serializer.DeserializeLogEntry(record.Span);
        _replicator.Receive(new DeltaGroupMessage(StoreFeed, entry.From, entry.To, entry.Deltas));
        _pushNeeded = true;
    }

    protected override void OnOpen(SessionMember member, OpenFrame open, long now, IReadOnlyList<OtCommittedOperation>? history)
    {
        ReplicaId client = member.Replica;
        _byReplica[client] = member;
        _replicator.AddPeer(client);
        Send(member, new SyncedFrame(member.Channel, _serializer.SerializeToBytes(_replicator.CreateSyncMessage(client).Message)));
        if (!open.Handshake.IsEmpty)
        {
            ReplicationMessage message = Decode(open.Handshake);
            if (message is not DigestMessage)
            {
                throw new SyncProtocolException(SyncErrorCode.InvalidPayload, "A values handshake must be a digest.");
            }

            Receive(member, message);
        }
        else
        {
            Receive(member, new DigestMessage(client, VersionVector.Empty));
        }
    }

    protected override void OnUpdate(SessionMember member, UpdateFrame update, long receivedAt)
    {
        ReplicationMessage message = Decode(update.Payload);

        // Ownership (no forged dots) and write permission, before anything changes.
        ValuesWriteGuard.Check(_replicator, message, member.Replica, member.CanWrite, Name);
        Receive(member, message);

        // The ack says the update's events are durable: a delta group the replicator could not apply yet (computed
        // against events the server does not hold) is answered with the server's digest, not acknowledged.
        VersionVector? claimed = message switch
        {
            DeltaGroupMessage group => group.Top,
            FullStateMessage full => full.Vector,
            _ => null,
        };
        if (claimed is null || _replicator.Vector.Dominates(claimed))
        {
            Ack(member, update.Sequence, 0, receivedAt);
        }
    }

    protected override void OnDetach(SessionMember member)
    {
        if (_byReplica.TryGetValue(member.Replica, out SessionMember? current) && ReferenceEquals(current, member))
        {
            _byReplica.Remove(member.Replica);
            _replicator.RemovePeer(member.Replica);
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

    private void Receive(SessionMember member, ReplicationMessage message)
    {
        if (message.Sender != member.Replica)
        {
            throw new SyncProtocolException(SyncErrorCode.ForgedDots, $"The connection of replica {member.Replica} sent a message from {message.Sender}.");
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
            Append(_serializer.SerializeToBytes(entry));
            _pushNeeded = true;
        }

        Route(result.Replies);
    }

    private void Route(IReadOnlyList<OutgoingMessage> messages)
    {
        foreach (OutgoingMessage outgoing in messages)
        {
            if (_byReplica.TryGetValue(outgoing.Recipient, out SessionMember? target))
            {
                Send(target, new UpdateFrame(target.Channel, 0, _serializer.SerializeToBytes(outgoing.Message)));
            }
        }
    }

    private ReplicationMessage Decode(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return _serializer.Deserialize(payload.Span);
        }
        catch (CrdtFormatException e)
        {
            throw new SyncProtocolException(SyncErrorCode.InvalidPayload, "The replication message does not decode: " + e.Message, e);
        }
    }
}
