using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>The anti-entropy protocol: peers, sync rounds, pushes and incoming messages.</summary>
public sealed partial class DeltaReplicator
{
    /// <summary>Adds a peer to gossip with. Until it is heard from, it blocks forgetting buffered deltas and receives no pushes.</summary>
    /// <param name="peer">The peer's id.</param>
    /// <returns><see langword="true"/> when the peer was new.</returns>
    /// <exception cref="ArgumentException"><paramref name="peer"/> is the default id or this replica's own id.</exception>
    public bool AddPeer(ReplicaId peer)
    {
        ThrowIfNotPeer(peer, nameof(peer));
        lock (_gate)
        {
            return _peers.Add(peer);
        }
    }

    /// <summary>
    /// Adds a peer together with what it is known to hold, for example its acknowledgement as a store persisted it
    /// before a restart: the buffer may then forget what every peer holds, and pushes to the peer start from
    /// <paramref name="acknowledged"/> without waiting for its digest. For a known peer, the acknowledgement is joined
    /// into the one it has. An acknowledgement older than the truth is harmless (the peer is sent more than it lacks);
    /// one newer than the truth would withhold events from the peer until its next digest, so pass only vectors the
    /// peer itself reported (see <see cref="GetPeerAcknowledgements"/>).
    /// </summary>
    /// <param name="peer">The peer's id.</param>
    /// <param name="acknowledged">The events the peer reported holding.</param>
    /// <returns><see langword="true"/> when the peer was new.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="acknowledged"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="peer"/> is the default id or this replica's own id.</exception>
    public bool AddPeer(ReplicaId peer, VersionVector acknowledged)
    {
        ThrowIfNotPeer(peer, nameof(peer));
        ArgumentNullException.ThrowIfNull(acknowledged);
        lock (_gate)
        {
            bool added = _peers.Add(peer);
            if (_peers.Acknowledge(peer, acknowledged))
            {
                Forget();
            }

            return added;
        }
    }

    /// <summary>
    /// Gets each peer's acknowledgement: the join of every vector the peer reported (digests, groups, full states), or
    /// <see langword="null"/> for a peer not heard from yet. A store persists these so that
    /// <see cref="AddPeer(ReplicaId, VersionVector)"/> can restore them after a restart. Sorted by peer. O(p log p).
    /// </summary>
    /// <returns>The peers and their acknowledgements.</returns>
    public IReadOnlyList<KeyValuePair<ReplicaId, VersionVector?>> GetPeerAcknowledgements()
    {
        lock (_gate)
        {
            var result = new List<KeyValuePair<ReplicaId, VersionVector?>>(_peers.Count);
            foreach (ReplicaId peer in _peers.Ids)
            {
                result.Add(new KeyValuePair<ReplicaId, VersionVector?>(peer, _peers.Acknowledged(peer)));
            }

            result.Sort(static (a, b) => a.Key.CompareTo(b.Key));
            return result;
        }
    }

    /// <summary>Removes a peer (it left, or restarted under a new id); buffered deltas only it lacked can then be forgotten.</summary>
    /// <param name="peer">The peer's id.</param>
    /// <returns><see langword="true"/> when the peer was known.</returns>
    public bool RemovePeer(ReplicaId peer)
    {
        lock (_gate)
        {
            bool removed = _peers.Remove(peer);
            if (removed)
            {
                Forget();
            }

            return removed;
        }
    }

    /// <summary>
    /// Starts a sync round: one <see cref="DigestMessage"/> per peer, sorted by recipient. Each peer answers with
    /// whatever this replica lacks. O(p) messages sharing one digest.
    /// </summary>
    /// <returns>The messages to send.</returns>
    public IReadOnlyList<OutgoingMessage> CreateSyncMessages()
    {
        lock (_gate)
        {
            var digest = new DigestMessage(Replica, _vector);
            var messages = new List<OutgoingMessage>(_peers.Count);
            foreach (ReplicaId peer in _peers.Ids)
            {
                messages.Add(new OutgoingMessage(peer, digest));
            }

            messages.Sort(static (a, b) => a.Recipient.CompareTo(b.Recipient));
            return messages;
        }
    }

    /// <summary>
    /// Creates this replica's digest for one replica, which need not be a peer: for example the first message on
    /// a new connection, so the other side answers with what this replica lacks.
    /// </summary>
    /// <param name="recipient">The replica to ask.</param>
    /// <returns>The message to send.</returns>
    /// <exception cref="ArgumentException"><paramref name="recipient"/> is the default id or this replica's own id.</exception>
    public OutgoingMessage CreateSyncMessage(ReplicaId recipient)
    {
        ThrowIfNotPeer(recipient, nameof(recipient));
        lock (_gate)
        {
            return new OutgoingMessage(recipient, new DigestMessage(Replica, _vector));
        }
    }

    /// <summary>
    /// Pushes what each peer lacks without waiting for its digest: for every peer that has reported at least once,
    /// a <see cref="DeltaGroupMessage"/> from the vector the peer holds once everything already sent to it arrives up
    /// to this replica's vector. Call it after local updates and after applying a peer's changes (to forward them)
    /// for low latency; sync rounds stay necessary to repair losses.
    /// </summary>
    /// <returns>The messages to send, sorted by recipient; none for peers that lack nothing, that never reported, or
    /// whose base the delta buffer no longer reaches (their next digest is answered with the full state).</returns>
    /// <remarks>
    /// A push assumes earlier pushes arrive. When one was lost, the next is computed against events the peer does
    /// not hold, so the peer drops it (causal delivery) and answers with its digest, which this replica answers with
    /// exactly what is missing. Cost per peer: a vector comparison, plus building a group as for a digest.
    /// </remarks>
    public IReadOnlyList<OutgoingMessage> CreatePushMessages()
    {
        lock (_gate)
        {
            var messages = new List<OutgoingMessage>();
            VersionVector floor = _buffer.Floor;
            foreach (ReplicaId peer in _peers.Ids)
            {
                VersionVector? from = _peers.PushBase(peer);
                if (from is null || from.Dominates(_vector) || !from.Dominates(floor))
                {
                    continue;
                }

                messages.Add(new OutgoingMessage(peer, new DeltaGroupMessage(Replica, from, _vector, _buffer.Collect(from))));
                _peers.MarkSent(peer, _vector);
            }

            messages.Sort(static (a, b) => a.Recipient.CompareTo(b.Recipient));
            return messages;
        }
    }

    /// <summary>
    /// Handles a message from a peer and returns what was done and the replies to send back to its sender:
    /// a digest is answered with what the sender lacks (if anything); an applied delta group or full state is
    /// acknowledged with this replica's digest; a delta group whose base this replica does not hold is dropped
    /// and answered with the digest, so the sender can send from what this replica really has.
    /// </summary>
    /// <param name="message">The message.</param>
    /// <returns>The outcome, the delta log entry the message added (persist it before the replies leave when
    /// acknowledgements must mean durable), and the replies (possibly none).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ReplicationProtocolException">The message claims this replica's own id as sender, or
    /// carries a value of another type under an existing key. Nothing changed.</exception>
    public ReceiveResult Receive(ReplicationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Sender == Replica)
        {
            throw new ReplicationProtocolException($"Received a message whose sender is this replica's own id '{Replica}': two replicas share an id, or the transport looped.");
        }

        lock (_gate)
        {
            ThrowIfInMutator();
            ForgetExpiredPrunedReplicas();
            message = PrepareForPruning(message); // refuses a removed replica's data, cleans up stale data (Pruning.cs)
            return message switch
            {
                DigestMessage digest => ReceiveDigest(digest),
                DeltaGroupMessage group => ReceiveValues(group, group.Base, group.Top, group.Deltas),
                FullStateMessage full => ReceiveValues(full, VersionVector.Empty, full.Vector, full.Values),
                _ => throw new ArgumentException($"Unknown message type {message.GetType()}.", nameof(message)),
            };
        }
    }

    private static void ThrowIfTypesDiffer(Dictionary<string, ReplicatedValue> values, ImmutableArray<KeyValuePair<string, ReplicatedValue>> incoming, Func<string, Type, Type, Exception> error)
    {
        foreach (KeyValuePair<string, ReplicatedValue> entry in incoming)
        {
            if (values.TryGetValue(entry.Key, out ReplicatedValue? existing) && existing.ValueType != entry.Value.ValueType)
            {
                throw error(entry.Key, existing.ValueType, entry.Value.ValueType);
            }
        }
    }

    /// <summary>Joins each incoming value into its key (adopting unknown keys); the caller has checked the types.</summary>
    private static void JoinInto(Dictionary<string, ReplicatedValue> values, ImmutableArray<KeyValuePair<string, ReplicatedValue>> incoming)
    {
        foreach (KeyValuePair<string, ReplicatedValue> entry in incoming)
        {
            values[entry.Key] = values.TryGetValue(entry.Key, out ReplicatedValue? existing) ? existing.Merge(entry.Value) : entry.Value;
        }
    }

    private static Exception ProtocolTypeError(string key, Type existing, Type incoming) =>
        new ReplicationProtocolException($"Key '{key}' holds a {existing.Name} here but the peer sent a {incoming.Name}.");

    private void ThrowIfNotPeer(ReplicaId peer, string paramName)
    {
        if (peer.IsDefault || peer == Replica)
        {
            throw new ArgumentException("A peer must be a valid id other than this replica's own.", paramName);
        }
    }

    private ReceiveResult ReceiveDigest(DigestMessage digest)
    {
        if (_peers.Acknowledge(digest.Sender, digest.Vector))
        {
            Forget();
        }

        if (digest.Vector.Dominates(_vector))
        {
            return new ReceiveResult(digest, ReceiveOutcome.UpToDate, null, []);
        }

        ReplicationMessage answer = digest.Vector.Dominates(_buffer.Floor)
            ? new DeltaGroupMessage(Replica, digest.Vector, _vector, _buffer.Collect(digest.Vector))
            : new FullStateMessage(Replica, _vector, _values); // the buffer no longer reaches back to what the peer holds
        _peers.MarkSent(digest.Sender, _vector);
        return new ReceiveResult(digest, ReceiveOutcome.Answered, null, [new OutgoingMessage(digest.Sender, answer)]);
    }

    private ReceiveResult ReceiveValues(ReplicationMessage message, VersionVector required, VersionVector top, ImmutableArray<KeyValuePair<string, ReplicatedValue>> values)
    {
        // Reject a contradicting message before anything (acknowledgements included) changes.
        ThrowIfTypesDiffer(_values, values, ProtocolTypeError);
        if (_peers.Acknowledge(message.Sender, top))
        {
            Forget();
        }

        if (!_vector.Dominates(required))
        {
            // Causal delivery: the group was computed against events we do not hold (we restarted from an
            // older snapshot, or the digest it answers was not ours). Tell the sender what we really have.
            return new ReceiveResult(message, ReceiveOutcome.OutOfCausalOrder, null, [Acknowledgement(message.Sender)]);
        }

        if (_vector.Dominates(top))
        {
            return new ReceiveResult(message, ReceiveOutcome.AlreadyHeld, null, []);
        }

        JoinInto(_values, values);
        NoteRetiredPruningMarkers();
        var entry = DeltaLogEntry.FromCanonical(_vector, _vector.Merge(top), values);
        Append(entry);
        return new ReceiveResult(message, ReceiveOutcome.Applied, entry, [Acknowledgement(message.Sender)]);
    }

    private OutgoingMessage Acknowledgement(ReplicaId sender) => new(sender, new DigestMessage(Replica, _vector));

    private void Append(DeltaLogEntry entry)
    {
        _vector = entry.To;
        _buffer.Append(entry);
        Forget();
    }

    /// <summary>Forgets buffered entries every peer has acknowledged (the bound is applied on append).</summary>
    private void Forget()
    {
        if (_peers.EveryPeerHolds() is { } common)
        {
            _buffer.Forget(common);
        }
    }
}
