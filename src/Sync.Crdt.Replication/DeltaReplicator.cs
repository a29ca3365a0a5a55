using System;
using System.Collections.Generic;
using System.Threading;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>
/// One replica's end of the delta-state anti-entropy protocol: holds CRDT values of any <see cref="IMergeable{T}"/>
/// types under typed keys (<see cref="ReplicatedKey{T}"/>), applies local updates as deltas, and exchanges messages
/// with peers so that every replica converges to the join of all updates.
/// </summary>
/// <remarks>
/// <para><b>Transport-agnostic (sans-I/O).</b> The replicator never sends anything itself: <see cref="CreateSyncMessages"/>
/// (call it periodically, e.g. every second), <see cref="CreatePushMessages"/> (call it after changes, for low
/// latency) and <see cref="Receive"/> return the messages the transport must deliver. Messages may be lost,
/// duplicated, reordered and delayed; the protocol repairs all of it on later rounds. A
/// <see cref="ReplicationPump"/> connects a replicator to a byte transport (encoding, routing, replies). See
/// docs/replication.md for the protocol and its guarantees.</para>
/// <para><b>Update events and the delta log.</b> Every local change (<see cref="Define{T}(ReplicatedKey{T}, T)"/>,
/// <see cref="Update{T}(ReplicatedKey{T}, DeltaMutator{T})"/>) is an event <c>(replica, n)</c>; <see cref="Vector"/>
/// records the events the values contain. Each change, local or received, is one <see cref="DeltaLogEntry"/>: the
/// replicator keeps the recent entries as its delta buffer (see <see cref="ReplicatorOptions.MaxBufferedDeltas"/>)
/// until every peer has acknowledged them, and hands each new entry to its caller so a store can persist it.</para>
/// <para><b>Protocol in one paragraph.</b> A sync round sends each peer a <see cref="DigestMessage"/> (our
/// vector). A replica that receives a digest answers with a <see cref="DeltaGroupMessage"/> joining the
/// buffered deltas of every event the digest lacks, or, when its buffer no longer reaches back that far, with a
/// <see cref="FullStateMessage"/>. A group applies only at a replica whose vector dominates the group's base
/// (causal delivery); the receiver then acknowledges with its digest, and the sender forgets deltas every
/// peer has acknowledged.</para>
/// <para><b>Identity.</b> Restore a replicator from an old snapshot under a fresh <see cref="ReplicaId"/>
/// (see <see cref="Restore(ReplicatorSnapshot, ReplicaId, ReplicatorOptions)"/>): reusing the id would reissue event
/// numbers peers have already seen.</para>
/// <para><b>Thread safety.</b> Every public member is thread-safe: a private lock serializes them, so a
/// transport thread and application threads may call concurrently. Returned values, entries and messages are
/// immutable and may be shared freely. A <see cref="DeltaMutator{T}"/> runs under the lock and must not call back
/// into the replicator.</para>
/// </remarks>
[Mutable]
public sealed partial class DeltaReplicator
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ReplicatedValue> _values = new(StringComparer.Ordinal);
    private readonly PeerTable _peers = new();
    private readonly DeltaBuffer _buffer;
    private readonly ReplicatorOptions _options;
    private VersionVector _vector;
    private bool _inMutator;

    /// <summary>Creates an empty replicator.</summary>
    /// <param name="replica">This replica's id: unique among all replicas that ever existed.</param>
    /// <param name="options">Settings; <see cref="ReplicatorOptions.Default"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    public DeltaReplicator(ReplicaId replica, ReplicatorOptions? options = null)
        : this(replica, options, VersionVector.Empty)
    {
    }

    private DeltaReplicator(ReplicaId replica, ReplicatorOptions? options, VersionVector vector)
    {
        if (replica.IsDefault)
        {
            throw new ArgumentException("The replica must be a valid replica id.", nameof(replica));
        }

        Replica = replica;
        _vector = vector;
        _options = options ?? ReplicatorOptions.Default;
        _buffer = new DeltaBuffer(_options.MaxBufferedDeltas, vector);
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

    /// <summary>Gets the names of the keys this replica holds (defined here, received from peers or restored), sorted ordinally. O(k log k).</summary>
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
                var peers = new List<ReplicaId>(_peers.Ids);
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
    /// Gets the vector the delta buffer starts at (the first buffered entry's <see cref="DeltaLogEntry.From"/>, or
    /// <see cref="Vector"/> when the buffer is empty). A peer whose digest dominates it is answered with deltas;
    /// a store may delete logged entries whose <see cref="DeltaLogEntry.To"/> it dominates, because the replicator
    /// no longer needs them.
    /// </summary>
    public VersionVector BufferFloor
    {
        get
        {
            lock (_gate)
            {
                return _buffer.Floor;
            }
        }
    }

    /// <summary>
    /// Creates a replicator from a snapshot. Its delta buffer is empty, so it answers peers with full states
    /// until it has buffered new deltas; it has no peers until <see cref="AddPeer(ReplicaId)"/> is called.
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
    public static DeltaReplicator Restore(ReplicatorSnapshot snapshot, ReplicaId replica, ReplicatorOptions? options = null) =>
        Restore(snapshot, [], replica, options);

    /// <summary>
    /// Creates a replicator from a snapshot and the delta log written since (a store's snapshot plus log): the
    /// entries the snapshot does not cover are joined into its values, and the log becomes the delta buffer, so the
    /// restored replicator answers peers with deltas, not full states, for everything the log reaches back to.
    /// O(entries × replicas) plus the joins.
    /// </summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <param name="log">
    /// Consecutive log entries in the order the replicator produced them (each entry's <see cref="DeltaLogEntry.From"/>
    /// equals the previous entry's <see cref="DeltaLogEntry.To"/>). Entries the snapshot already holds may come
    /// first; the rest must continue from the snapshot, and the log must not end before the snapshot's vector.
    /// Only the newest <see cref="ReplicatorOptions.MaxBufferedDeltas"/> entries are kept in the buffer.
    /// </param>
    /// <param name="replica">The id to continue under (see <see cref="Restore(ReplicatorSnapshot, ReplicaId, ReplicatorOptions)"/>).</param>
    /// <param name="options">Settings; <see cref="ReplicatorOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>The replicator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/>, <paramref name="log"/> or an entry is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id or another replica's id with
    /// events in the restored state; or the log is not a chain, does not continue from the snapshot, ends before it,
    /// or holds a value of another type than the snapshot under one key.</exception>
    public static DeltaReplicator Restore(ReplicatorSnapshot snapshot, IEnumerable<DeltaLogEntry> log, ReplicaId replica, ReplicatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(log);
        var values = new Dictionary<string, ReplicatedValue>(snapshot.Values.Length, StringComparer.Ordinal);
        foreach (KeyValuePair<string, ReplicatedValue> entry in snapshot.Values)
        {
            values.Add(entry.Key, entry.Value);
        }

        VersionVector vector = snapshot.Vector;
        var chain = new List<DeltaLogEntry>();
        HashSet<ReplicaId> pruned = PrunedIn(values); // a prune in the log breaks the chain by the replicas it dropped
        foreach (DeltaLogEntry entry in log)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(log));
            if (chain.Count > 0 && !entry.From.Equals(chain[^1].To) && !IsPrunedContinuation(chain[^1].To, entry.From, pruned))
            {
                throw new ArgumentException($"The log is not a chain: an entry starts at {entry.From}, the previous one ends at {chain[^1].To}.", nameof(log));
            }

            chain.Add(entry);
            VersionVector from = DropAll(entry.From, pruned);
            VersionVector to = DropAll(entry.To, pruned);
            vector = DropAll(vector, pruned);
            if (vector.Dominates(to))
            {
                continue;
            }

            if (!vector.Dominates(from))
            {
                throw new ArgumentException($"The log does not continue from the snapshot: an entry starts at {entry.From}, the state holds {vector}.", nameof(log));
            }

            ThrowIfTypesDiffer(values, entry.Deltas, static (key, existing, incoming) => new ArgumentException($"The log holds a {incoming.Name} under key '{key}', which holds a {existing.Name}.", nameof(log)));
            ApplyLoggedPrunes(values, entry.Deltas, pruned); // the state before a logged prune is cleaned up first
            JoinInto(values, entry.Deltas);
            vector = DropAll(vector.Merge(to), pruned);
        }

        if (chain.Count > 0 && !DropAll(chain[^1].To, pruned).Equals(vector))
        {
            throw new ArgumentException($"The log ends at {chain[^1].To}, before the snapshot's {snapshot.Vector}: it cannot serve deltas up to the restored state.", nameof(log));
        }

        if (!replica.IsDefault && replica != snapshot.Replica && vector[replica] > 0)
        {
            throw new ArgumentException($"Replica id '{replica}' already made updates this state holds; continue under a fresh id.", nameof(replica));
        }

        VersionVector start = chain.Count > 0 ? chain[0].From : vector;
        var replicator = new DeltaReplicator(replica, options, start);
        foreach (KeyValuePair<string, ReplicatedValue> entry in values)
        {
            replicator._values.Add(entry.Key, entry.Value);
        }

        foreach (DeltaLogEntry entry in chain)
        {
            replicator._buffer.Append(entry);
        }

        replicator._vector = vector;
        replicator.RememberTableMarkers(); // the pruning markers the restored state holds
        return replicator;
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
}
