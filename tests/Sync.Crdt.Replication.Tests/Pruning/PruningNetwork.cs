using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication.Tests.Pruning;

/// <summary>A manual clock for <see cref="ReplicatorOptions.TimeProvider"/>.</summary>
internal sealed class ManualClock : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>
/// An in-process network of replicators exchanging message objects: seeded loss, duplication and reordering, partitions,
/// and a record of every message sent (to replay stale ones later). Refusals (a <see cref="ReplicationProtocolException"/>
/// for a removed replica's data) are counted, not thrown.
/// </summary>
internal sealed class PruningNetwork(Random random, int dropPercent, int duplicatePercent)
{
    private readonly List<(ReplicaId To, ReplicationMessage Message)> _wire = [];

    public Dictionary<ReplicaId, DeltaReplicator> Nodes { get; } = [];

    public HashSet<ReplicaId> Partitioned { get; } = [];

    public List<(ReplicaId To, ReplicationMessage Message)> Sent { get; } = [];

    public int Refused { get; private set; }

    public List<string> RefusalMessages { get; } = [];

    public bool Faulty { get; set; } = true;

    public void Add(DeltaReplicator node)
    {
        foreach (DeltaReplicator other in Nodes.Values)
        {
            other.AddPeer(node.Replica);
            node.AddPeer(other.Replica);
        }

        Nodes.Add(node.Replica, node);
    }

    public void Send(IEnumerable<OutgoingMessage> messages)
    {
        foreach (OutgoingMessage message in messages)
        {
            Sent.Add((message.Recipient, message.Message));
            if (Partitioned.Contains(message.Recipient) || Partitioned.Contains(message.Message.Sender))
            {
                continue;
            }

            _wire.Add((message.Recipient, message.Message));
        }
    }

    public void Inject(ReplicaId to, ReplicationMessage message) => _wire.Add((to, message));

    /// <summary>Delivers up to <paramref name="count"/> messages (random order, with loss and duplicates when faulty).</summary>
    public void Deliver(int count)
    {
        for (int i = 0; i < count && _wire.Count > 0; i++)
        {
            int pick = Faulty ? random.Next(_wire.Count) : 0;
            (ReplicaId to, ReplicationMessage message) = _wire[pick];
            bool duplicate = Faulty && random.Next(100) < duplicatePercent;
            if (!duplicate)
            {
                _wire.RemoveAt(pick);
            }

            if ((Faulty && random.Next(100) < dropPercent) || !Nodes.TryGetValue(to, out DeltaReplicator? node) || Partitioned.Contains(to))
            {
                continue;
            }

            try
            {
                Send(node.Receive(message).Replies);
            }
            catch (ReplicationProtocolException error)
            {
                Refused++;
                RefusalMessages.Add(error.Message);
            }
        }
    }

    public void DeliverAll()
    {
        while (_wire.Count > 0)
        {
            Deliver(_wire.Count);
        }
    }

    /// <summary>Fault-free sync rounds among the given nodes until their vectors agree (at most 20).</summary>
    public void Heal(IReadOnlyCollection<ReplicaId> nodes)
    {
        bool faulty = Faulty;
        Faulty = false;
        _wire.Clear();
        for (int round = 0; round < 20; round++)
        {
            foreach (ReplicaId id in nodes)
            {
                Send(Nodes[id].CreateSyncMessages());
            }

            DeliverAll();
            VersionVector? first = null;
            bool same = true;
            foreach (ReplicaId id in nodes)
            {
                VersionVector vector = Nodes[id].Vector;
                same &= first is null || first.Equals(vector);
                first ??= vector;
            }

            if (same)
            {
                // One more round: every node's digest of the converged state reaches every other (acknowledgements).
                foreach (ReplicaId id in nodes)
                {
                    Send(Nodes[id].CreateSyncMessages());
                }

                DeliverAll();
                Faulty = faulty;
                return;
            }
        }

        throw new InvalidOperationException("No convergence after 20 fault-free rounds.");
    }
}
