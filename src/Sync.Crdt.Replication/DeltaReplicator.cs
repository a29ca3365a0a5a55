using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>
/// One replica's end of the delta-state anti-entropy protocol: holds named CRDT values of any
/// <see cref="IMergeable{T}"/> types, applies local updates as deltas, and exchanges messages with peers so
/// that every replica converges to the join of all updates.
/// </summary>
/// <remarks>
/// <para><b>Transport-agnostic.</b> The replicator never sends anything itself: <see cref="CreateSyncMessages"/>
/// (call it periodically, e.g. every second) and <see cref="Receive"/> return the messages the transport must
/// deliver. Messages may be lost, duplicated, reordered and delayed; the protocol repairs all of it on later
/// rounds. See docs/replication.md for the protocol and its guarantees.</para>
/// <para><b>Update events.</b> Every local change (<see cref="Define{T}"/>, <see cref="Update{T}"/>) is an event
/// <c>(replica, n)</c>; <see cref="Vector"/> records the events the values contain. Each event's delta is
/// buffered (see <see cref="ReplicatorOptions.MaxBufferedDeltas"/>) until every peer has acknowledged it.</para>
/// <para><b>Protocol in one paragraph.</b> A sync round sends each peer a <see cref="DigestMessage"/> (our
/// vector). A replica that receives a digest answers with a <see cref="DeltaGroupMessage"/> joining the
/// buffered deltas of every event the digest lacks, or, when its buffer no longer reaches back that far, with a
/// <see cref="FullStateMessage"/>. A group applies only at a replica whose vector dominates the group's base
/// (causal delivery); the receiver then acknowledges with its digest, and the sender forgets deltas every
/// peer has acknowledged.</para>
/// <para><b>Identity.</b> Restore a replicator from an old snapshot under a fresh <see cref="ReplicaId"/>
/// (see <see cref="Restore"/>): reusing the id would reissue event numbers peers have already seen.</para>
/// <para><b>Thread safety.</b> Every public member is thread-safe: a private lock serializes them, so a
/// transport thread and application threads may call concurrently. Returned values and messages are immutable
/// and may be shared freely. A <see cref="DeltaMutator{T}"/> runs under the lock and must not call back into
/// the replicator.</para>
/// </remarks>
[Mutable]
public sealed class DeltaReplicator
{
    private readonly Lock _gate = new();
    private readonly ReplicatorOptions _options;
    private readonly Dictionary<string, ReplicatedValue> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<ReplicaId, VersionVector?> _acknowledged = [];
    private readonly Queue<BufferedDelta> _buffer = new();
    private VersionVector _vector;
    private VersionVector _floor;
    private bool _inMutator;

    /// <summary>Creates an empty replicator.</summary>
    /// <param name="replica">This replica's id: unique among all replicas that ever existed.</param>
    /// <param name="options">Settings; <see cref="ReplicatorOptions.Default"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    public DeltaReplicator(ReplicaId replica, ReplicatorOptions? options = null)
    {
        if (replica.IsDefault)
        {
            throw new ArgumentException("The replica must be a valid replica id.", nameof(replica));
        }

        Replica = replica;
        _options = options ?? ReplicatorOptions.Default;
        _vector = VersionVector.Empty;
        _floor = VersionVector.Empty;
    }

    /// <summary>Gets this replica's id.</summary>
    public ReplicaId Replica { get; }

    /// <summary>Gets the update events the values contain (ours and every peer's that reached us).</summary>
    public VersionVector Vector
    {
        get
        {
            lock (_gate)
            {
                return _vector;
            }
        }
    }

    /// <summary>Gets the keys this replica holds, sorted ordinally. O(k log k).</summary>
    public IReadOnlyList<string> Keys
    {
        get
        {
            lock (_gate)
            {
                var keys = new List<string>(_values.Keys);
                keys.Sort(StringComparer.Ordinal);
                return keys;
            }
        }
    }

    /// <summary>Gets the peers this replica gossips with, sorted. O(p log p).</summary>
    public IReadOnlyList<ReplicaId> Peers
    {
        get
        {
            lock (_gate)
            {
                var peers = new List<ReplicaId>(_acknowledged.Keys);
                peers.Sort();
                return peers;
            }
        }
    }

    /// <summary>Gets the number of entries in the delta buffer (at most <see cref="ReplicatorOptions.MaxBufferedDeltas"/>).</summary>
    public int BufferedDeltaCount
    {
        get
        {
            lock (_gate)
            {
                return _buffer.Count;
            }
        }
    }

    /// <summary>
    /// Creates a replicator from a snapshot. Its delta buffer is empty, so it answers peers with full states
    /// until it has buffered new deltas; it has no peers until <see cref="AddPeer"/> is called.
    /// </summary>
    /// <param name="snapshot">The snapshot (see <see cref="CreateSnapshot"/>).</param>
    /// <param name="replica">
    /// The id to continue under. Pass a fresh id unless the snapshot is certainly the last state the old id ever
    /// had (a clean shutdown): an older snapshot under the old id would reissue event numbers peers have seen,
    /// and those updates would be silently lost.
    /// </param>
    /// <param name="options">Settings; <see cref="ReplicatorOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>The replicator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id, or another replica's id
    /// whose events the snapshot already holds.</exception>
    public static DeltaReplicator Restore(ReplicatorSnapshot snapshot, ReplicaId replica, ReplicatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!replica.IsDefault && replica != snapshot.Replica && snapshot.Vector[replica] > 0)
        {
            throw new ArgumentException($"Replica id '{replica}' already made updates this snapshot holds; continue under a fresh id.", nameof(replica));
        }

        var replicator = new DeltaReplicator(replica, options);
        foreach (KeyValuePair<string, ReplicatedValue> entry in snapshot.Values)
        {
            replicator._values.Add(entry.Key, entry.Value);
        }

        replicator._vector = snapshot.Vector;
        replicator._floor = snapshot.Vector;
        return replicator;
    }

    /// <summary>
    /// Declares a key with an initial value, unless the key already exists (defined locally, received from a
    /// peer or restored), and returns the key's current value. Defining is itself an update event, so the initial
    /// value replicates like any delta; use the type's empty value unless you mean to contribute a non-empty one.
    /// </summary>
    /// <typeparam name="T">The CRDT type of the key.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="initial">The value to start from when the key is new.</param>
    /// <returns>The key's value after the call.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The key holds a value of another type, or a mutator is running.</exception>
    public T Define<T>(string key, T initial)
        where T : class, IMergeable<T>
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(initial);
        lock (_gate)
        {
            ThrowIfInMutator();
            if (_values.TryGetValue(key, out ReplicatedValue? existing))
            {
                return Cast<T>(key, existing).Value;
            }

            var value = new ReplicatedValue<T>(initial);
            RecordLocalEvent(key, value, value);
            return initial;
        }
    }

    /// <summary>Returns the value of <paramref name="key"/>. O(1).</summary>
    /// <typeparam name="T">The CRDT type of the key.</typeparam>
    /// <param name="key">The key.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">The key does not exist.</exception>
    /// <exception cref="InvalidOperationException">The key holds a value of another type.</exception>
    public T Get<T>(string key)
        where T : class, IMergeable<T>
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (!_values.TryGetValue(key, out ReplicatedValue? existing))
            {
                throw new KeyNotFoundException($"Key '{key}' does not exist at replica '{Replica}'.");
            }

            return Cast<T>(key, existing).Value;
        }
    }

    /// <summary>Gets the value of <paramref name="key"/> when it exists. O(1).</summary>
    /// <typeparam name="T">The CRDT type of the key.</typeparam>
    /// <param name="key">The key.</param>
    /// <param name="value">The value, when the key exists.</param>
    /// <returns>Whether the key exists.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The key holds a value of another type.</exception>
    public bool TryGet<T>(string key, [MaybeNullWhen(false)] out T value)
        where T : class, IMergeable<T>
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_values.TryGetValue(key, out ReplicatedValue? existing))
            {
                value = Cast<T>(key, existing).Value;
                return true;
            }

            value = null;
            return false;
        }
    }

    /// <summary>
    /// Applies a local update to an existing key: runs <paramref name="mutator"/> on the current value under this
    /// replica's id, stores the new value and buffers the delta as a new update event. When the mutator returns the
    /// current instance (nothing changed) no event is recorded. Cost: the mutator's, plus O(r) for the vector.
    /// </summary>
    /// <typeparam name="T">The CRDT type of the key.</typeparam>
    /// <param name="key">The key (see <see cref="Define{T}"/>).</param>
    /// <param name="mutator">The update; it must return <c>current.Merge(delta)</c> and its delta.</param>
    /// <returns>The new value.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>, or the mutator returned <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException">The key does not exist.</exception>
    /// <exception cref="InvalidOperationException">The key holds a value of another type, or a mutator is already running.</exception>
    /// <remarks>When the mutator throws, the exception propagates and nothing changes.</remarks>
    public T Update<T>(string key, DeltaMutator<T> mutator)
        where T : class, IMergeable<T>
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(mutator);
        lock (_gate)
        {
            ThrowIfInMutator();
            if (!_values.TryGetValue(key, out ReplicatedValue? existing))
            {
                throw new KeyNotFoundException($"Key '{key}' does not exist at replica '{Replica}'; define it first.");
            }

            T current = Cast<T>(key, existing).Value;
            T updated;
            T delta;
            _inMutator = true;
            try
            {
                updated = mutator(current, Replica, out delta);
            }
            finally
            {
                _inMutator = false;
            }

            if (updated is null || delta is null)
            {
                throw new ArgumentNullException(nameof(mutator), "The mutator returned a null value or delta.");
            }

            if (ReferenceEquals(updated, current))
            {
                return current;
            }

            RecordLocalEvent(key, new ReplicatedValue<T>(updated), new ReplicatedValue<T>(delta));
            return updated;
        }
    }

    /// <summary>Adds a peer to gossip with. Until it is heard from, it blocks forgetting buffered deltas.</summary>
    /// <param name="peer">The peer's id.</param>
    /// <returns><see langword="true"/> when the peer was new.</returns>
    /// <exception cref="ArgumentException"><paramref name="peer"/> is the default id or this replica's own id.</exception>
    public bool AddPeer(ReplicaId peer)
    {
        if (peer.IsDefault || peer == Replica)
        {
            throw new ArgumentException("A peer must be a valid id other than this replica's own.", nameof(peer));
        }

        lock (_gate)
        {
            return _acknowledged.TryAdd(peer, null);
        }
    }

    /// <summary>Removes a peer (it left, or restarted under a new id); buffered deltas only it lacked can then be forgotten.</summary>
    /// <param name="peer">The peer's id.</param>
    /// <returns><see langword="true"/> when the peer was known.</returns>
    public bool RemovePeer(ReplicaId peer)
    {
        lock (_gate)
        {
            bool removed = _acknowledged.Remove(peer);
            if (removed)
            {
                Trim();
            }

            return removed;
        }
    }

    /// <summary>
    /// Starts a sync round: one <see cref="DigestMessage"/> per peer. Each peer answers with whatever this
    /// replica lacks. O(p) messages sharing one digest.
    /// </summary>
    /// <returns>The messages to send.</returns>
    public IReadOnlyList<OutgoingMessage> CreateSyncMessages()
    {
        lock (_gate)
        {
            var digest = new DigestMessage(Replica, _vector);
            var messages = new List<OutgoingMessage>(_acknowledged.Count);
            foreach (ReplicaId peer in _acknowledged.Keys)
            {
                messages.Add(new OutgoingMessage(peer, digest));
            }

            messages.Sort(static (a, b) => a.Recipient.CompareTo(b.Recipient));
            return messages;
        }
    }

    /// <summary>
    /// Handles a message from a peer and returns the replies to send back to its sender:
    /// a digest is answered with what the sender lacks (if anything); an applied delta group or full state is
    /// acknowledged with this replica's digest; a delta group whose base this replica does not hold is dropped
    /// and answered with the digest, so the sender can send from what this replica really has.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <returns>The replies (possibly none).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ReplicationProtocolException">The message claims this replica's own id as sender, or
    /// carries a value of another type under an existing key. Nothing changed.</exception>
    public IReadOnlyList<OutgoingMessage> Receive(ReplicationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Sender == Replica)
        {
            throw new ReplicationProtocolException($"Received a message whose sender is this replica's own id '{Replica}': two replicas share an id, or the transport looped.");
        }

        lock (_gate)
        {
            ThrowIfInMutator();
            ReplicationMessage? reply = message switch
            {
                DigestMessage digest => ReceiveDigest(digest),
                DeltaGroupMessage group => ReceiveGroup(group),
                FullStateMessage full => ReceiveFullState(full),
                _ => throw new ArgumentException($"Unknown message type {message.GetType()}.", nameof(message)),
            };
            return reply is null ? [] : [new OutgoingMessage(message.Sender, reply)];
        }
    }

    /// <summary>Captures the durable state (values and vector). O(k log k) for k keys; values are shared, not copied.</summary>
    /// <returns>The snapshot.</returns>
    public ReplicatorSnapshot CreateSnapshot()
    {
        lock (_gate)
        {
            return new ReplicatorSnapshot(Replica, _vector, _values);
        }
    }

    private static ReplicatedValue<T> Cast<T>(string key, ReplicatedValue value)
        where T : class, IMergeable<T> =>
        value as ReplicatedValue<T>
        ?? throw new InvalidOperationException($"Key '{key}' holds a {value.ValueType.Name}, not a {typeof(T).Name}.");

    private void ThrowIfInMutator()
    {
        if (_inMutator)
        {
            throw new InvalidOperationException("A DeltaMutator must not call back into its replicator.");
        }
    }

    private void RecordLocalEvent(string key, ReplicatedValue value, ReplicatedValue delta)
    {
        VersionVector before = _vector;
        VersionVector after = before.Increment(Replica);
        _values[key] = value;
        _vector = after;
        Append(before, after, [new KeyValuePair<string, ReplicatedValue>(key, delta)]);
    }

    private ReplicationMessage? ReceiveDigest(DigestMessage digest)
    {
        Acknowledge(digest.Sender, digest.Vector);
        return AnswerDigest(digest.Vector);
    }

    private ReplicationMessage? ReceiveGroup(DeltaGroupMessage group)
    {
        Acknowledge(group.Sender, group.Top);
        if (!_vector.Dominates(group.Base))
        {
            // Causal delivery: the group was computed against events we do not hold (we restarted from an
            // older snapshot, or the digest it answers was not ours). Tell the sender what we really have.
            return new DigestMessage(Replica, _vector);
        }

        if (_vector.Dominates(group.Top))
        {
            return null;
        }

        Apply(group.Deltas, group.Top);
        return new DigestMessage(Replica, _vector);
    }

    private ReplicationMessage? ReceiveFullState(FullStateMessage full)
    {
        Acknowledge(full.Sender, full.Vector);
        if (_vector.Dominates(full.Vector))
        {
            return null;
        }

        Apply(full.Values, full.Vector);
        return new DigestMessage(Replica, _vector);
    }

    private void Apply(ImmutableArray<KeyValuePair<string, ReplicatedValue>> incoming, VersionVector top)
    {
        // Validate everything first so that a bad message changes nothing.
        foreach (KeyValuePair<string, ReplicatedValue> entry in incoming)
        {
            if (_values.TryGetValue(entry.Key, out ReplicatedValue? existing) && existing.ValueType != entry.Value.ValueType)
            {
                throw new ReplicationProtocolException($"Key '{entry.Key}' holds a {existing.ValueType.Name} here but the peer sent a {entry.Value.ValueType.Name}.");
            }
        }

        foreach (KeyValuePair<string, ReplicatedValue> entry in incoming)
        {
            _values[entry.Key] = _values.TryGetValue(entry.Key, out ReplicatedValue? existing) ? existing.Merge(entry.Value) : entry.Value;
        }

        VersionVector before = _vector;
        _vector = before.Merge(top);
        Append(before, _vector, incoming);
    }

    private ReplicationMessage? AnswerDigest(VersionVector digest)
    {
        if (digest.Dominates(_vector))
        {
            return null;
        }

        if (!digest.Dominates(_floor))
        {
            // The buffer no longer reaches back to what the peer holds.
            return new FullStateMessage(Replica, _vector, _values);
        }

        var joined = new Dictionary<string, ReplicatedValue>(StringComparer.Ordinal);
        foreach (BufferedDelta entry in _buffer)
        {
            if (!entry.AddsEventsBeyond(digest))
            {
                continue;
            }

            foreach (KeyValuePair<string, ReplicatedValue> delta in entry.Deltas)
            {
                joined[delta.Key] = joined.TryGetValue(delta.Key, out ReplicatedValue? sofar) ? sofar.Merge(delta.Value) : delta.Value;
            }
        }

        return new DeltaGroupMessage(Replica, digest, _vector, joined);
    }

    private void Acknowledge(ReplicaId peer, VersionVector vector)
    {
        if (!_acknowledged.TryGetValue(peer, out VersionVector? known))
        {
            return;
        }

        VersionVector merged = known is null ? vector : known.Merge(vector);
        if (!ReferenceEquals(merged, known))
        {
            _acknowledged[peer] = merged;
            Trim();
        }
    }

    private void Append(VersionVector from, VersionVector to, ImmutableArray<KeyValuePair<string, ReplicatedValue>> deltas)
    {
        if (_buffer.Count == 0)
        {
            _floor = from;
        }

        _buffer.Enqueue(new BufferedDelta(from, to, deltas));
        Trim();
    }

    /// <summary>Forgets entries every peer has acknowledged, then the oldest entries beyond the bound.</summary>
    private void Trim()
    {
        VersionVector? common = null;
        bool everyPeerHeard = true;
        foreach (VersionVector? known in _acknowledged.Values)
        {
            if (known is null)
            {
                everyPeerHeard = false;
                break;
            }

            common = common is null ? known : common.Meet(known);
        }

        if (everyPeerHeard)
        {
            while (_buffer.Count > 0 && (common is null || common.Dominates(_buffer.Peek().To)))
            {
                _buffer.Dequeue();
            }
        }

        while (_buffer.Count > _options.MaxBufferedDeltas)
        {
            _buffer.Dequeue();
        }

        _floor = _buffer.Count > 0 ? _buffer.Peek().From : _vector;
    }
}
