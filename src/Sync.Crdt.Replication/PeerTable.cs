using System.Collections.Generic;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>
/// What a replicator knows about each peer: the join of every vector the peer reported (its acknowledgements, which
/// decide what the delta buffer may forget) and the vector the peer will hold once everything sent to it arrives
/// (the base of the next push). Not thread-safe (the replicator's lock guards it).
/// </summary>
internal sealed class PeerTable
{
    private readonly Dictionary<ReplicaId, Peer> _peers = [];

    public int Count => _peers.Count;

    public IEnumerable<ReplicaId> Ids => _peers.Keys;

    public bool Add(ReplicaId peer) => _peers.TryAdd(peer, new Peer());

    public bool Remove(ReplicaId peer) => _peers.Remove(peer);

    public bool Contains(ReplicaId peer) => _peers.ContainsKey(peer);

    /// <summary>
    /// Records that <paramref name="peer"/> holds <paramref name="vector"/> (it sent a digest, a group or a full state);
    /// returns whether its acknowledgement grew. The push base grows too; it needs no reset on a digest, because a
    /// digest that shows an earlier push was lost is answered with everything the peer lacks.
    /// </summary>
    public bool Acknowledge(ReplicaId peer, VersionVector vector)
    {
        if (!_peers.TryGetValue(peer, out Peer? state))
        {
            return false;
        }

        state.Sent = state.Sent is null ? vector : state.Sent.Merge(vector);
        VersionVector merged = state.Acknowledged is null ? vector : state.Acknowledged.Merge(vector);
        if (ReferenceEquals(merged, state.Acknowledged))
        {
            return false;
        }

        state.Acknowledged = merged;
        return true;
    }

    /// <summary>Records that <paramref name="peer"/> will hold <paramref name="vector"/> once what was just sent to it arrives.</summary>
    public void MarkSent(ReplicaId peer, VersionVector vector)
    {
        if (_peers.TryGetValue(peer, out Peer? state))
        {
            state.Sent = state.Sent is null ? vector : state.Sent.Merge(vector);
        }
    }

    /// <summary>Gets the join of every vector <paramref name="peer"/> reported, or <see langword="null"/> when it never reported or is unknown.</summary>
    public VersionVector? Acknowledged(ReplicaId peer) => _peers.TryGetValue(peer, out Peer? state) ? state.Acknowledged : null;

    /// <summary>Gets the vector the next push to <paramref name="peer"/> starts from, or <see langword="null"/> when the peer has never reported.</summary>
    public VersionVector? PushBase(ReplicaId peer) => _peers.TryGetValue(peer, out Peer? state) ? state.Sent : null;

    /// <summary>
    /// Gets the meet of every peer's acknowledgement: the events every peer holds. <see langword="null"/> when there
    /// are no peers or some peer has never reported (nothing may be forgotten on acknowledgements then).
    /// </summary>
    public VersionVector? EveryPeerHolds()
    {
        VersionVector? common = null;
        foreach (Peer state in _peers.Values)
        {
            if (state.Acknowledged is null)
            {
                return null;
            }

            common = common is null ? state.Acknowledged : common.Meet(state.Acknowledged);
        }

        return common;
    }

    /// <summary>Drops a pruned replica's entry from every peer's acknowledged and sent vectors.</summary>
    public void DropReplica(ReplicaId removed)
    {
        foreach (Peer state in _peers.Values)
        {
            state.Acknowledged = state.Acknowledged?.DropReplica(removed);
            state.Sent = state.Sent?.DropReplica(removed);
        }
    }

    private sealed class Peer
    {
        public VersionVector? Acknowledged { get; set; }

        public VersionVector? Sent { get; set; }
    }
}
