using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Protocol;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Client;

/// <summary>A replicated-values document: named CRDT values (typed keys) kept in sync with the server.</summary>
/// <remarks>
/// Reads see local state at once; <see cref="UpdateAsync"/> applies a mutator locally, commits it to the client store
/// (when configured) and sends it. A change is pending until the server's messages show it holds it durably.
/// With a store, frames that reflect a change leave only after the change is committed locally, so the client can
/// restart under the same replica id. <see cref="SyncDocument.IsSynced"/> becomes true only once the document holds
/// every event of the server's handshake digest (the server's state when it answered the open), that is after the
/// server's answer to the client's digest arrived, not when the synced frame itself arrives. Thread-safe.
/// </remarks>
public sealed class ValuesDocument : SyncDocument
{
    private readonly ReplicaId _me;
    private DeltaReplicator _replicator;
    private ReplicationPump _pump;
    private CommitQueue? _commits;
    private VersionVector _serverVector = VersionVector.Empty;
    private ReplicaId _server;
    private VersionVector? _syncTarget;
    private long _sequence;

    internal ValuesDocument(CrdtSyncClient client, string name)
        : base(client, name, DocumentKind.Values)
    {
        _me = client.Options.Replica;
        _replicator = new DeltaReplicator(_me);
        _pump = CreatePump(hold: false);
    }

    /// <inheritdoc/>
    public override bool HasPendingChanges
    {
        get
        {
            lock (Gate)
            {
                return _replicator.Vector[_me] > _serverVector[_me];
            }
        }
    }

    /// <summary>The local vector (every event this document holds).</summary>
    public VersionVector Vector => _replicator.Vector;

    /// <summary>Returns a value, or throws when the key is not defined.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    public T Get<T>(ReplicatedKey<T> key)
        where T : class, IMergeable<T> => _replicator.Get(key);

    /// <summary>Returns a value if the key is defined.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when defined.</returns>
    public bool TryGet<T>(ReplicatedKey<T> key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value)
        where T : class, IMergeable<T> => _replicator.TryGet(key, out value);

    /// <summary>Defines a key with an initial value if it is not defined yet, locally and durably.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="initial">The initial value.</param>
    /// <param name="cancellationToken">Cancels waiting for the local commit (the change stays applied).</param>
    /// <returns>The current value.</returns>
    public async ValueTask<T> DefineAsync<T>(ReplicatedKey<T> key, T initial, CancellationToken cancellationToken = default)
        where T : class, IMergeable<T>
    {
        T value;
        Task committed;
        lock (Gate)
        {
            value = _replicator.Define(key, initial, out DeltaLogEntry? entry);
            committed = Record(entry);
        }

        await FinishLocalAsync(committed, cancellationToken).ConfigureAwait(false);
        return value;
    }

    /// <summary>Applies a mutator to a defined key, locally and durably, then sends it (when connected).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="mutator">The delta mutator (for example <c>(set, replica, out delta) =&gt; set.Add(replica, "x", out delta)</c>).</param>
    /// <param name="cancellationToken">Cancels waiting for the local commit (the change stays applied).</param>
    /// <returns>The new value.</returns>
    public async ValueTask<T> UpdateAsync<T>(ReplicatedKey<T> key, DeltaMutator<T> mutator, CancellationToken cancellationToken = default)
        where T : class, IMergeable<T>
    {
        T value;
        Task committed;
        lock (Gate)
        {
            value = _replicator.Update(key, mutator, out DeltaLogEntry? entry);
            committed = Record(entry);
        }

        await FinishLocalAsync(committed, cancellationToken).ConfigureAwait(false);
        return value;
    }

    internal override async ValueTask LoadAsync(IDocumentStore store, CancellationToken cancellationToken)
    {
        StoredDocument stored = await store.LoadAsync(Name, cancellationToken).ConfigureAwait(false);
        ReplicationSerializer serializer = Client.Serializer;
        ReplicatorSnapshot snapshot = stored.Snapshot is { } s ? serializer.DeserializeSnapshot(s.Payload.Span) : new ReplicatorSnapshot(_me, VersionVector.Empty, []);
        List<DeltaLogEntry> log = stored.Records.Select(r => serializer.DeserializeLogEntry(r.Payload.Span)).ToList();
        lock (Gate)
        {
            // Every frame left only after its events were committed here, so this store is the latest state of the id.
            _replicator = DeltaReplicator.Restore(snapshot, log, _me);
            _pump = CreatePump(hold: true);
            _commits = new CommitQueue(store, Name);
        }
    }

    internal override ReadOnlyMemory<byte> CreateHandshake()
    {
        lock (Gate)
        {
            return Client.Serializer.SerializeToBytes(new DigestMessage(_me, _replicator.Vector));
        }
    }

    internal override void OnSynced(ReadOnlyMemory<byte> payload)
    {
        bool synced;
        lock (Gate)
        {
            ReplicationMessage message = Client.Serializer.Deserialize(payload.Span);
            _server = message.Sender;
            _replicator.AddPeer(_server);
            Receive(message);

            // The synced frame carries the server's digest; its answer to our digest (what we lack) follows as updates.
            // Until it arrived, the document is not synced: a reader would miss changes the server already acknowledged.
            _syncTarget = message is DigestMessage digest && !_replicator.Vector.Dominates(digest.Vector) ? digest.Vector : null;
            synced = _syncTarget is null;
        }

        if (synced)
        {
            MarkSynced();
        }

        RaiseChanged();
    }

    internal override void OnUpdate(ReadOnlyMemory<byte> payload)
    {
        bool changed;
        bool completed;
        lock (Gate)
        {
            if (_server.IsDefault)
            {
                return;
            }

            ReplicationMessage message = Client.Serializer.Deserialize(payload.Span);
            ReceiveResult result = Receive(message);
            changed = result.Entry is not null;
            completed = _syncTarget is { } target && HoldsHandshakeState(target, message, result.Outcome);
            if (completed)
            {
                _syncTarget = null;

                // Local changes made while the answer was on its way were not pushed (not synced yet): push them now.
                _pump.Push();
            }
        }

        if (completed)
        {
            MarkSynced();
        }

        if (changed || completed)
        {
            RaiseChanged();
        }
        else
        {
            CheckAcknowledged();
        }
    }

    /// <summary>Whether the document now holds the server's handshake state: its vector dominates the digest's, or the
    /// message just applied (or already held) reaches the digest's vector (the answer; compared as sent, so a vector
    /// cleaned of pruned replicas on receipt still counts).</summary>
    private bool HoldsHandshakeState(VersionVector target, ReplicationMessage message, ReceiveOutcome outcome)
    {
        if (_replicator.Vector.Dominates(target))
        {
            return true;
        }

        VersionVector? top = message switch
        {
            DeltaGroupMessage group => group.Top,
            FullStateMessage full => full.Vector,
            _ => null,
        };
        return top is not null && outcome is (ReceiveOutcome.Applied or ReceiveOutcome.AlreadyHeld) && top.Dominates(target);
    }

    private ReceiveResult Receive(ReplicationMessage message)
    {
        _serverVector = _serverVector.Merge(message switch
        {
            DigestMessage digest => digest.Vector,
            DeltaGroupMessage group => group.Top,
            FullStateMessage full => full.Vector,
            _ => VersionVector.Empty,
        });
        ReceiveResult result = _pump.Receive(message, _server);
        if (result.Entry is { } entry)
        {
            Record(entry);
        }

        return result;
    }

    private Task Record(DeltaLogEntry? entry)
    {
        if (entry is null)
        {
            return Task.CompletedTask;
        }

        if (_commits is null)
        {
            return Task.CompletedTask;
        }

        ReplicationPump pump = _pump;
        VersionVector to = entry.To;
        return _commits.Enqueue(Client.Serializer.SerializeToBytes(entry), () => pump.MarkDurable(to));
    }

    private async Task FinishLocalAsync(Task committed, CancellationToken cancellationToken)
    {
        await committed.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (Gate)
        {
            if (!_server.IsDefault && IsSynced)
            {
                _pump.Push();
            }
        }

        RaiseChanged();
    }

    private ReplicationPump CreatePump(bool hold) =>
        new(_replicator, Client.Serializer, Send, new ReplicationPumpOptions { HoldUntilDurable = hold });

    private void Send(ReplicaId recipient, ReadOnlyMemory<byte> frame)
    {
        if (Channel > 0)
        {
            Client.TrySend(new UpdateFrame(Channel, Interlocked.Increment(ref _sequence), frame));
        }
    }

    internal override void OnDisconnected()
    {
        base.OnDisconnected();
        lock (Gate)
        {
            if (!_server.IsDefault)
            {
                _replicator.RemovePeer(_server);
                _server = default;
                _syncTarget = null;
            }
        }
    }
}
