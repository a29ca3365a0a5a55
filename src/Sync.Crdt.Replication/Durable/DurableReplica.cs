using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Replication;

/// <summary>
/// A replica whose acknowledgements mean "on disk": a <see cref="DeltaReplicator"/> and its <see cref="ReplicationPump"/>
/// kept in one document of an <see cref="IDocumentStore"/> (SQLite on a device, a server's database, or in memory for tests).
/// </summary>
/// <remarks>
/// <para><b>Acknowledged means durable.</b> <see cref="UpdateAsync{T}"/> and <see cref="DefineAsync{T}"/> apply the change in
/// memory at once (reads see it) and complete their task only after the change's delta log entry is committed by the
/// store. Incoming delta groups and full states (<see cref="ReceiveAsync"/>) are committed before the digest that
/// acknowledges them leaves: every outgoing frame waits in the pump until the store has committed every event it
/// reflects. So no peer ever learns of an event this replica could still lose.</para>
/// <para><b>Group commit.</b> While one commit is in flight, further changes queue up and go into the next commit
/// together, whose completion acknowledges them all; under load one store transaction serves many changes.</para>
/// <para><b>The log is the delta buffer.</b> Each change is one log record (a serialized <see cref="DeltaLogEntry"/>). On
/// open, the snapshot plus the log restore the replicator with its delta buffer (see
/// <see cref="DeltaReplicator.Restore(ReplicatorSnapshot, IEnumerable{DeltaLogEntry}, ReplicaId, ReplicatorOptions)"/>), and the
/// persisted peer acknowledgements are restored with it, so a replica that restarts with pending changes ships
/// deltas, not its full state. The store keeps a record while the replicator's buffer holds it (some peer has not
/// acknowledged it), within <see cref="ReplicatorOptions.MaxBufferedDeltas"/> records; a peer further behind gets the
/// full state.</para>
/// <para><b>Compaction.</b> When the log written since the last snapshot outgrows the encoded state (and
/// <see cref="DurableReplicaOptions.MinCompactionBytes"/>), the next commit also writes a snapshot of the state through its
/// own records and drops the records the buffer no longer needs, in the same transaction.</para>
/// <para><b>A fresh incarnation on every open.</b> Each open commits a new incarnation number and continues under the
/// replica id <c>name#incarnation.random</c> (<see cref="Replica"/>). A database restored from an older copy (a backup, a
/// cloned machine) therefore never reissues event numbers peers have already seen: its events carry a new id and merge
/// with everything else instead of overwriting it. The cost is one version vector entry per open.</para>
/// <para><b>Failures.</b> When a commit fails (I/O error, full disk, closed store), the tasks of every change not yet
/// committed fault with the store's <see cref="DocumentStoreException"/>, the frames that reflected them are dropped
/// (peers repair by anti-entropy) and the replica reloads its last committed state from the store: the in-memory state
/// equals the durable one again. If even that reload fails, the replica is closed and every later call throws.</para>
/// <para><b>Thread safety.</b> Every member is thread-safe; changes are applied in the order their calls acquire the
/// replica's lock. The frame sender is called outside any of the pump's locks but possibly under this replica's lock: it
/// must not block or call back into the replica synchronously (enqueue the frame and return).</para>
/// </remarks>
[Mutable]
public sealed partial class DurableReplica : IAsyncDisposable
{
    private readonly SemaphoreSlim _mutex = new(1, 1);
    private readonly IDocumentStore _store;
    private readonly ReplicationSerializer _serializer;
    private readonly FrameSender _send;
    private readonly DurableReplicaOptions _options;
    private readonly Queue<(long Position, VersionVector To)> _retained = new();
    private readonly Dictionary<ReplicaId, VersionVector?> _persistedPeers = [];
    private DeltaReplicator _replicator;
    private ReplicationPump _pump;
    private CommitBatch _open = new();
    private CommitBatch? _inFlight;
    private long _head;
    private long _snapshotPosition;
    private long _bytesSinceSnapshot;
    private long _stateBytes;
    private long _bytesSentBefore;
    private long _framesSentBefore;
    private long _compactions;
    private Exception? _closedBy;

    private DurableReplica(IDocumentStore store, string document, ReplicationSerializer serializer, FrameSender send, DurableReplicaOptions options, DeltaReplicator replicator)
    {
        _store = store;
        Document = document;
        _serializer = serializer;
        _send = send;
        _options = options;
        _replicator = replicator;
        _pump = NewPump(replicator);
    }

    /// <summary>Gets the store document this replica lives in.</summary>
    public string Document { get; }

    /// <summary>Gets this incarnation's replica id (<c>name#incarnation.random</c>; new on every open).</summary>
    public ReplicaId Replica => _replicator.Replica;

    /// <summary>Gets the update events the values hold, committed or in flight.</summary>
    public VersionVector Vector => _replicator.Vector;

    /// <summary>Gets the names of the keys this replica holds, sorted ordinally.</summary>
    public IReadOnlyList<string> Keys => _replicator.Keys;

    /// <summary>Gets the peers this replica gossips with, sorted.</summary>
    public IReadOnlyList<ReplicaId> Peers => _replicator.Peers;

    /// <summary>Gets the number of entries in the delta buffer (equal to the log records the store must keep for peers).</summary>
    public int BufferedDeltaCount => _replicator.BufferedDeltaCount;

    /// <summary>Gets the bytes handed to the frame sender since the replica was opened.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSentBefore) + _pump.BytesSent;

    /// <summary>Gets the frames handed to the frame sender since the replica was opened.</summary>
    public long FramesSent => Interlocked.Read(ref _framesSentBefore) + _pump.FramesSent;

    /// <summary>Gets the number of frames waiting for a commit before they may leave.</summary>
    public int HeldFrameCount => _pump.HeldFrameCount;

    /// <summary>Gets the number of compactions (snapshots written) since the replica was opened.</summary>
    public long CompactionCount => Interlocked.Read(ref _compactions);

    /// <summary>Gets the store's head for this document after the last successful commit (the last log position written).</summary>
    public long CommittedHead => Interlocked.Read(ref _head);

    /// <summary>
    /// Opens (or creates) the replica kept in <paramref name="document"/> of <paramref name="store"/>: loads the snapshot
    /// and the log, restores the replicator with its delta buffer and persisted peers, and commits a new incarnation
    /// before returning. O(snapshot + log) to decode and replay.
    /// </summary>
    /// <param name="store">The store; the replica does not own it (dispose the replica first, then the store).</param>
    /// <param name="document">The document name (one replica per document at a time).</param>
    /// <param name="name">The replica's stable name (for example a device id): at most 208 characters; each open appends <c>#incarnation.random</c>.</param>
    /// <param name="serializer">The wire and disk format of the values; every replica registers the same formats.</param>
    /// <param name="send">The transport's send function.</param>
    /// <param name="options">Settings; <see cref="DurableReplicaOptions.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the open (before the incarnation commit is handed to the store).</param>
    /// <returns>The open replica.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="document"/> or <paramref name="name"/> is invalid.</exception>
    /// <exception cref="DocumentStoreException">The store failed, or the document does not hold a valid replica (a log that
    /// does not decode or is not a chain); nothing was written.</exception>
    /// <exception cref="DocumentConflictException">Another writer committed to the document while it was being opened.</exception>
    public static async Task<DurableReplica> OpenAsync(IDocumentStore store, string document, string name, ReplicationSerializer serializer, FrameSender send, DurableReplicaOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(serializer);
        ArgumentNullException.ThrowIfNull(send);
        DocumentCommit.ThrowIfInvalidName(document, nameof(document));
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > DurableLayout.MaxNameLength)
        {
            throw new ArgumentException($"A replica name has at most {DurableLayout.MaxNameLength} characters.", nameof(name));
        }

        options ??= DurableReplicaOptions.Default;
        options.Validate();
        StoredDocument stored = await store.LoadAsync(document, cancellationToken).ConfigureAwait(false);
        long incarnation = DurableLayout.ReadIncarnation(stored) + 1;
        ReplicaId id = DurableLayout.IncarnationId(name, incarnation);
        DeltaReplicator replicator = RestoreReplicator(stored, serializer, id, options);
        var replica = new DurableReplica(store, document, serializer, send, options, replicator);
        replica.AdoptStored(stored);
        cancellationToken.ThrowIfCancellationRequested();
        CommitResult result = await store.CommitAsync(
            new DocumentCommit(document)
            {
                ExpectedHead = stored.Head,
                SetMetadata = [new(DurableLayout.IncarnationKey, DurableLayout.EncodeIncarnation(incarnation)), new(DurableLayout.ReplicaKey, System.Text.Encoding.UTF8.GetBytes(id.Value))],
            },
            CancellationToken.None).ConfigureAwait(false);
        replica._head = result.Head;
        return replica;
    }

    /// <summary>Returns the value of <paramref name="key"/> in memory (including changes whose commit is in flight). O(1).</summary>
    /// <typeparam name="T">The CRDT type.</typeparam>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="KeyNotFoundException">The key does not exist.</exception>
    /// <exception cref="InvalidOperationException">The key holds a value of another type.</exception>
    public T Get<T>(ReplicatedKey<T> key)
        where T : class, IMergeable<T> => _replicator.Get(key);

    /// <summary>Returns the value of <paramref name="key"/> when it exists. O(1).</summary>
    /// <typeparam name="T">The CRDT type.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, or <see langword="null"/>.</param>
    /// <returns>Whether the key exists.</returns>
    /// <exception cref="InvalidOperationException">The key holds a value of another type.</exception>
    public bool TryGet<T>(ReplicatedKey<T> key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T value)
        where T : class, IMergeable<T> => _replicator.TryGet(key, out value);

    /// <summary>Defines <paramref name="key"/> with <paramref name="initial"/> unless it exists; completes once the definition is committed.</summary>
    /// <typeparam name="T">The CRDT type.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="initial">The initial value.</param>
    /// <param name="cancellationToken">Cancels waiting for the replica's lock; once applied, the change is not canceled.</param>
    /// <returns>The key's value (the existing one when it was defined already).</returns>
    /// <exception cref="DocumentStoreException">The commit failed; the change was rolled back in memory.</exception>
    /// <exception cref="ObjectDisposedException">The replica was closed.</exception>
    public Task<T> DefineAsync<T>(ReplicatedKey<T> key, T initial, CancellationToken cancellationToken = default)
        where T : class, IMergeable<T>
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(initial);
        return ChangeAsync((key, initial), static (replicator, state) => (replicator.Define(state.key, state.initial, out DeltaLogEntry? entry), entry), cancellationToken);
    }

    /// <summary>
    /// Applies a local update to <paramref name="key"/> as a delta; the task completes once the delta is committed (an
    /// acknowledged update survives a crash, to the store's durability level).
    /// </summary>
    /// <typeparam name="T">The CRDT type.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="mutator">The update (runs under the replicator's lock; must not call back into the replica).</param>
    /// <param name="cancellationToken">Cancels waiting for the replica's lock; once applied, the change is not canceled.</param>
    /// <returns>The new value.</returns>
    /// <exception cref="KeyNotFoundException">The key does not exist.</exception>
    /// <exception cref="DocumentStoreException">The commit failed; the change was rolled back in memory.</exception>
    /// <exception cref="ObjectDisposedException">The replica was closed.</exception>
    public Task<T> UpdateAsync<T>(ReplicatedKey<T> key, DeltaMutator<T> mutator, CancellationToken cancellationToken = default)
        where T : class, IMergeable<T>
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(mutator);
        return ChangeAsync((key, mutator), static (replicator, state) => (replicator.Update(state.key, state.mutator, out DeltaLogEntry? entry), entry), cancellationToken);
    }

    /// <summary>
    /// Handles a frame from a peer: applies it, queues what it added for commit, and queues the replies (the acknowledging
    /// digest, an answer) until that commit is done. The task completes once the frame's changes are committed.
    /// </summary>
    /// <param name="frame">One encoded message.</param>
    /// <param name="from">The peer the transport knows the frame came from, or the default id.</param>
    /// <param name="cancellationToken">Cancels waiting for the replica's lock.</param>
    /// <returns>What the replicator did.</returns>
    /// <exception cref="CrdtFormatException">The frame is not a valid message; nothing changed.</exception>
    /// <exception cref="ReplicationProtocolException">The message contradicts this replica; nothing changed.</exception>
    /// <exception cref="DocumentStoreException">The commit failed; the change was rolled back in memory.</exception>
    /// <exception cref="ObjectDisposedException">The replica was closed.</exception>
    public Task<ReceiveResult> ReceiveAsync(ReadOnlyMemory<byte> frame, ReplicaId from = default, CancellationToken cancellationToken = default) =>
        ChangeAsync((frame, from), static (_, state, pump) =>
        {
            ReceiveResult result = pump.Receive(state.frame.Span, state.from);
            return (result, result.Entry);
        }, cancellationToken);

    /// <summary>Starts a sync round: this replica's digest to every peer (held until what it reflects is committed).</summary>
    /// <param name="cancellationToken">Cancels waiting for the replica's lock.</param>
    /// <returns>A task that completes once the digests are handed to the sender or queued.</returns>
    /// <exception cref="ObjectDisposedException">The replica was closed.</exception>
    public Task SyncRoundAsync(CancellationToken cancellationToken = default) => WithPumpAsync(static pump => pump.SyncRound(), cancellationToken);

    /// <summary>Pushes to each peer what it lacks (held until committed).</summary>
    /// <param name="cancellationToken">Cancels waiting for the replica's lock.</param>
    /// <returns>A task that completes once the frames are handed to the sender or queued.</returns>
    /// <exception cref="ObjectDisposedException">The replica was closed.</exception>
    public Task PushAsync(CancellationToken cancellationToken = default) => WithPumpAsync(static pump => pump.Push(), cancellationToken);

    /// <summary>Sends this replica's digest to <paramref name="recipient"/> (for example when a connection opens).</summary>
    /// <param name="recipient">The replica to ask.</param>
    /// <param name="cancellationToken">Cancels waiting for the replica's lock.</param>
    /// <returns>A task that completes once the digest is handed to the sender or queued.</returns>
    /// <exception cref="ArgumentException"><paramref name="recipient"/> is the default id or this replica's own id.</exception>
    /// <exception cref="ObjectDisposedException">The replica was closed.</exception>
    public Task SyncWithAsync(ReplicaId recipient, CancellationToken cancellationToken = default) => WithPumpAsync(pump => pump.SyncWith(recipient), cancellationToken);

    /// <summary>Adds a peer and persists it (with its acknowledgement, once it reports) so it survives restarts.</summary>
    /// <param name="peer">The peer's id.</param>
    /// <param name="cancellationToken">Cancels waiting for the replica's lock.</param>
    /// <returns><see langword="true"/> when the peer was new; the task completes once the peer list is committed.</returns>
    /// <exception cref="ArgumentException"><paramref name="peer"/> is the default id or this replica's own id.</exception>
    /// <exception cref="DocumentStoreException">The commit failed.</exception>
    public Task<bool> AddPeerAsync(ReplicaId peer, CancellationToken cancellationToken = default) =>
        ChangeAsync(peer, static (replicator, p) => (replicator.AddPeer(p), (DeltaLogEntry?)null), cancellationToken, force: true);

    /// <summary>Removes a peer (it left, or restarted under a new id) and persists that; log records only it lacked can then be dropped.</summary>
    /// <param name="peer">The peer's id.</param>
    /// <param name="cancellationToken">Cancels waiting for the replica's lock.</param>
    /// <returns><see langword="true"/> when the peer was known; the task completes once the removal is committed.</returns>
    /// <exception cref="DocumentStoreException">The commit failed.</exception>
    public Task<bool> RemovePeerAsync(ReplicaId peer, CancellationToken cancellationToken = default) =>
        ChangeAsync(peer, static (replicator, p) => (replicator.RemovePeer(p), (DeltaLogEntry?)null), cancellationToken, force: true);

    /// <summary>Waits until every change made so far is committed.</summary>
    /// <param name="cancellationToken">Cancels waiting for the replica's lock.</param>
    /// <returns>A task that completes when everything made so far is durable.</returns>
    /// <exception cref="DocumentStoreException">A pending commit failed.</exception>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        ChangeAsync(0, static (_, _) => (0, (DeltaLogEntry?)null), cancellationToken);

    /// <summary>Writes a snapshot now (with the pending changes) and drops the log records the delta buffer no longer needs, in one commit.</summary>
    /// <param name="cancellationToken">Cancels waiting for the replica's lock.</param>
    /// <returns>A task that completes once the snapshot is committed.</returns>
    /// <exception cref="DocumentStoreException">The commit failed.</exception>
    public async Task CompactAsync(CancellationToken cancellationToken = default)
    {
        Task done;
        await _mutex.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            _open.Compact = true;
            done = _open.Completion.Task;
            StartCommitIfIdle();
        }
        finally
        {
            _mutex.Release();
        }

        await done.ConfigureAwait(false);
    }

    /// <summary>Waits for pending commits and closes the replica (the store stays open: its owner disposes it). Idempotent.</summary>
    /// <returns>A task that completes when the replica is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await FlushAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DocumentStoreException or ObjectDisposedException)
        {
            // Closing anyway: what failed was rolled back and reported to its callers.
        }

        await _mutex.WaitAsync().ConfigureAwait(false);
        try
        {
            _closedBy ??= new ObjectDisposedException(nameof(DurableReplica));
        }
        finally
        {
            _mutex.Release();
        }
    }

    private static DeltaReplicator RestoreReplicator(StoredDocument stored, ReplicationSerializer serializer, ReplicaId id, DurableReplicaOptions options)
    {
        try
        {
            ReplicatorSnapshot snapshot = stored.Snapshot is null
                ? new ReplicatorSnapshot(id, VersionVector.Empty, [])
                : serializer.DeserializeSnapshot(stored.Snapshot.Payload.Span);
            var log = new List<DeltaLogEntry>(stored.Records.Length);
            foreach (LogRecord record in stored.Records)
            {
                log.Add(serializer.DeserializeLogEntry(record.Payload.Span));
            }

            // The snapshot may name an earlier incarnation; the state is ours to continue under the id chosen for this open.
            var rebased = new ReplicatorSnapshot(id, snapshot.Vector, snapshot.Values);
            DeltaReplicator replicator = DeltaReplicator.Restore(rebased, log, id, options.Replicator);
            foreach (KeyValuePair<ReplicaId, VersionVector?> peer in DurableLayout.ReadPeers(stored, serializer))
            {
                if (peer.Key != id)
                {
                    _ = peer.Value is null ? replicator.AddPeer(peer.Key) : replicator.AddPeer(peer.Key, peer.Value);
                }
            }

            return replicator;
        }
        catch (Exception ex) when (ex is CrdtFormatException or ArgumentException or InvalidCastException)
        {
            throw new DocumentStoreException($"Document '{stored.Name}' does not hold a valid replica: {ex.Message}", ex);
        }
    }

    private void AdoptStored(StoredDocument stored)
    {
        _head = stored.Head;
        _snapshotPosition = stored.Snapshot?.Position ?? 0;
        _stateBytes = stored.Snapshot?.Payload.Length ?? 0;
        _retained.Clear();
        _bytesSinceSnapshot = 0;
        foreach (LogRecord record in stored.Records)
        {
            _retained.Enqueue((record.Position, _serializer.DeserializeLogEntry(record.Payload.Span).To));
            if (record.Position > _snapshotPosition)
            {
                _bytesSinceSnapshot += record.Payload.Length;
            }
        }

        _persistedPeers.Clear();
        foreach (KeyValuePair<ReplicaId, VersionVector?> peer in DurableLayout.ReadPeers(stored, _serializer))
        {
            _persistedPeers[peer.Key] = peer.Value;
        }
    }

    private ReplicationPump NewPump(DeltaReplicator replicator) =>
        new(replicator, _serializer, _send, new ReplicationPumpOptions { HoldUntilDurable = true });

    private Task<TResult> ChangeAsync<TState, TResult>(TState state, Func<DeltaReplicator, TState, (TResult Result, DeltaLogEntry? Entry)> change, CancellationToken cancellationToken, bool force = false) =>
        ChangeAsync((state, change), static (replicator, s, _) => s.change(replicator, s.state), cancellationToken, force);

    private async Task<TResult> ChangeAsync<TState, TResult>(TState state, Func<DeltaReplicator, TState, ReplicationPump, (TResult Result, DeltaLogEntry? Entry)> change, CancellationToken cancellationToken, bool force = false)
    {
        TResult result;
        Task done;
        await _mutex.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            (result, DeltaLogEntry? entry) = change(_replicator, state, _pump);
            if (entry is not null)
            {
                EnqueueEntry(entry);
            }

            _open.Forced |= force;
            done = !_open.IsEmpty ? _open.Completion.Task : _inFlight?.Completion.Task ?? Task.CompletedTask;
            StartCommitIfIdle();
        }
        finally
        {
            _mutex.Release();
        }

        await done.ConfigureAwait(false);
        return result;
    }

    /// <summary>Adds a log entry the replicator just recorded to the open batch. Called under the mutex.</summary>
    private void EnqueueEntry(DeltaLogEntry entry)
    {
        _open.Entries.Add(entry);
        try
        {
            _open.Payloads.Add(_serializer.SerializeToBytes(entry));
        }
        catch (ArgumentException ex)
        {
            // Applied in memory but cannot be stored (a value type without a registered format): the batch
            // fails like a failed commit, which rolls the memory back to the committed state.
            _open.Payloads.Add([]);
            _open.Poison ??= ex;
        }
    }

    private async Task WithPumpAsync(Action<ReplicationPump> action, CancellationToken cancellationToken)
    {
        await _mutex.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfClosed();
            action(_pump);
        }
        finally
        {
            _mutex.Release();
        }
    }

    /// <summary>Hands the open batch to the store unless a commit is in flight. Called under the mutex.</summary>
    private void StartCommitIfIdle()
    {
        if (_inFlight is not null || _open.IsEmpty)
        {
            return;
        }

        CommitBatch batch = _open;
        _open = new CommitBatch();
        _inFlight = batch;

        if (batch.Poison is { } poison)
        {
            // Reported and rolled back outside the caller's hold of the mutex; _inFlight keeps new commits waiting.
            _ = Task.Run(() => FailAsync(batch, poison));
            return;
        }

        DocumentCommit commit = BuildCommit(batch);
        _ = RunCommitAsync(batch, commit);
    }

    private DocumentCommit BuildCommit(CommitBatch batch)
    {
        long appendBytes = 0;
        foreach (byte[] payload in batch.Payloads)
        {
            appendBytes += payload.Length;
        }

        long newHead = _head + batch.Entries.Count;
        bool snapshot = batch.Compact || (_bytesSinceSnapshot + appendBytes > Math.Max(_stateBytes, _options.MinCompactionBytes));
        StoredSnapshot? stored = null;
        long snapshotPosition = _snapshotPosition;
        if (snapshot)
        {
            // Under the mutex the replicator holds exactly the committed entries plus this batch's: the state through newHead.
            stored = new StoredSnapshot(newHead, _serializer.SerializeToBytes(_replicator.CreateSnapshot()));
            snapshotPosition = newHead;
        }

        // Drop the records the delta buffer no longer needs (every peer acknowledged them, or the bound dropped them),
        // as far as a snapshot covers them.
        VersionVector floor = _replicator.BufferFloor;
        VersionVector vector = _replicator.Vector;
        long truncate = 0;
        bool stop = false;
        foreach ((long position, VersionVector to) in _retained)
        {
            if (position > snapshotPosition || !floor.Dominates(WithoutPrunedReplicas(to, vector)))
            {
                stop = true;
                break;
            }

            truncate = position;
        }

        for (int i = 0; !stop && i < batch.Entries.Count; i++)
        {
            long position = _head + i + 1;
            if (position > snapshotPosition || !floor.Dominates(WithoutPrunedReplicas(batch.Entries[i].To, vector)))
            {
                break;
            }

            truncate = position;
        }

        return new DocumentCommit(Document)
        {
            ExpectedHead = _head,
            Appends = [.. batch.Payloads.ConvertAll(static p => (ReadOnlyMemory<byte>)p)],
            Snapshot = stored,
            TruncateThrough = truncate > 0 ? truncate : null,
            SetMetadata = PeerChanges(out ImmutableArray<string> removed),
            RemoveMetadata = removed,
        };
    }

    private ImmutableArray<KeyValuePair<string, ReadOnlyMemory<byte>>> PeerChanges(out ImmutableArray<string> removed)
    {
        ImmutableArray<KeyValuePair<string, ReadOnlyMemory<byte>>>.Builder set = ImmutableArray.CreateBuilder<KeyValuePair<string, ReadOnlyMemory<byte>>>();
        var current = new HashSet<ReplicaId>();
        foreach (KeyValuePair<ReplicaId, VersionVector?> peer in _replicator.GetPeerAcknowledgements())
        {
            current.Add(peer.Key);
            if (!_persistedPeers.TryGetValue(peer.Key, out VersionVector? persisted) || !Equals(persisted, peer.Value))
            {
                set.Add(new(DurableLayout.PeerKey(peer.Key), DurableLayout.EncodePeer(_serializer, peer.Key, peer.Value)));
            }
        }

        ImmutableArray<string>.Builder gone = ImmutableArray.CreateBuilder<string>();
        foreach (ReplicaId peer in _persistedPeers.Keys)
        {
            if (!current.Contains(peer))
            {
                gone.Add(DurableLayout.PeerKey(peer));
            }
        }

        removed = gone.DrainToImmutable();
        return set.DrainToImmutable();
    }

    private async Task RunCommitAsync(CommitBatch batch, DocumentCommit commit)
    {
        CommitResult result;
        try
        {
            result = await _store.CommitAsync(commit, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Reported to every waiting caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await FailAsync(batch, ex).ConfigureAwait(false);
            return;
        }

        await _mutex.WaitAsync().ConfigureAwait(false);
        try
        {
            Interlocked.Exchange(ref _head, result.Head);
            for (int i = 0; i < batch.Entries.Count; i++)
            {
                _retained.Enqueue((result.FirstPosition + i, batch.Entries[i].To));
                _bytesSinceSnapshot += batch.Payloads[i].Length;
            }

            if (commit.Snapshot is { } written)
            {
                _snapshotPosition = written.Position;
                _stateBytes = written.Payload.Length;
                _bytesSinceSnapshot = 0;
                Interlocked.Increment(ref _compactions);
            }

            while (commit.TruncateThrough is { } through && _retained.Count > 0 && _retained.Peek().Position <= through)
            {
                _retained.Dequeue();
            }

            foreach (KeyValuePair<string, ReadOnlyMemory<byte>> peer in commit.SetMetadata)
            {
                var id = new ReplicaId(peer.Key[DurableLayout.PeerPrefix.Length..]);
                _persistedPeers[id] = peer.Value.IsEmpty ? null : ((DigestMessage)_serializer.Deserialize(peer.Value.Span)).Vector;
            }

            foreach (string key in commit.RemoveMetadata)
            {
                _persistedPeers.Remove(new ReplicaId(key[DurableLayout.PeerPrefix.Length..]));
            }

            if (batch.Entries.Count > 0)
            {
                _pump.MarkDurable(batch.Entries[^1].To);
            }

            _inFlight = null;
            StartCommitIfIdle();
        }
        finally
        {
            _mutex.Release();
        }

        batch.Completion.TrySetResult();
    }

    /// <summary>A commit failed: fail it and everything queued behind it, then reload the committed state from the store.</summary>
    private async Task FailAsync(CommitBatch batch, Exception error)
    {
        await _mutex.WaitAsync().ConfigureAwait(false);

        CommitBatch queued = _open;
        _open = new CommitBatch();
        _inFlight = null;
        try
        {
            await ReloadAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The replica cannot continue: it is closed, and every later call reports why.
        catch (Exception reloadError)
#pragma warning restore CA1031
        {
            _closedBy = new DocumentStoreException($"Replica '{Document}' is closed: after a failed commit, reloading its committed state failed too ({reloadError.Message}).", reloadError);
        }
        finally
        {
            _mutex.Release();
        }

        batch.Completion.TrySetException(error);
        queued.Completion.TrySetException(new DocumentStoreException($"A change to replica '{Document}' was rolled back because an earlier commit failed: {error.Message}", error));
    }

    /// <summary>Rebuilds the replicator and pump from the store's committed state, keeping the id (the rolled-back events never left) and the peers' acknowledgements.</summary>
    private async Task ReloadAsync()
    {
        StoredDocument stored = await _store.LoadAsync(Document).ConfigureAwait(false);
        IReadOnlyList<KeyValuePair<ReplicaId, VersionVector?>> peers = _replicator.GetPeerAcknowledgements();
        DeltaReplicator replicator = RestoreReplicator(stored, _serializer, _replicator.Replica, _options);
        foreach (KeyValuePair<ReplicaId, VersionVector?> peer in peers)
        {
            _ = peer.Value is null ? replicator.AddPeer(peer.Key) : replicator.AddPeer(peer.Key, peer.Value);
        }

        Interlocked.Add(ref _bytesSentBefore, _pump.BytesSent);
        Interlocked.Add(ref _framesSentBefore, _pump.FramesSent);
        _replicator = replicator;
        _pump = NewPump(replicator);
        AdoptStored(stored);
    }

    private void ThrowIfClosed()
    {
        if (_closedBy is ObjectDisposedException)
        {
            throw new ObjectDisposedException(nameof(DurableReplica));
        }

        if (_closedBy is not null)
        {
            throw new ObjectDisposedException(nameof(DurableReplica), _closedBy);
        }
    }
}
