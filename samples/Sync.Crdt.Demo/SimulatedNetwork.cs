using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;

namespace Sync.Crdt.Demo;

/// <summary>
/// An in-memory network between replicators, each behind a <see cref="ReplicationPump"/> that encodes every message
/// with the real wire format. Replicas can go offline: frames to or from them are lost, as on a real network.
/// </summary>
internal sealed class SimulatedNetwork
{
    private readonly Dictionary<ReplicaId, ReplicationPump> _pumps = [];
    private readonly Queue<(ReplicaId From, ReplicaId To, ReadOnlyMemory<byte> Frame)> _wire = new();
    private readonly HashSet<ReplicaId> _offline = [];

    public SimulatedNetwork(IEnumerable<DeltaReplicator> replicas, ReplicationSerializer serializer)
    {
        foreach (DeltaReplicator replica in replicas)
        {
            ReplicaId from = replica.Replica;
            _pumps.Add(from, new ReplicationPump(replica, serializer, (to, frame) => _wire.Enqueue((from, to, frame))));
        }
    }

    public bool IsOnline(ReplicaId replica) => !_offline.Contains(replica);

    public void SetOnline(ReplicaId replica, bool online)
    {
        if (online)
        {
            _offline.Remove(replica);
        }
        else
        {
            _offline.Add(replica);
        }
    }

    /// <summary>Runs one anti-entropy round: every online replica starts a sync round, and frames are delivered until the network is quiet.</summary>
    public string SyncRound()
    {
        foreach (KeyValuePair<ReplicaId, ReplicationPump> pump in _pumps.Where(p => IsOnline(p.Key)))
        {
            pump.Value.SyncRound();
        }

        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        long bytes = 0;
        int lost = 0;
        while (_wire.TryDequeue(out (ReplicaId From, ReplicaId To, ReadOnlyMemory<byte> Frame) next))
        {
            if (!IsOnline(next.To) || !IsOnline(next.From))
            {
                lost++;
                continue;
            }

            bytes += next.Frame.Length;
            ReceiveResult result = _pumps[next.To].Receive(next.Frame.Span);
            string kind = result.Message.GetType().Name.Replace("Message", string.Empty, StringComparison.Ordinal);
            counts[kind] = counts.TryGetValue(kind, out int n) ? n + 1 : 1;
        }

        string delivered = string.Join(", ", counts.Select(c => $"{c.Value} {c.Key}"));
        return $"delivered {delivered} ({bytes:N0} bytes on the wire){(lost > 0 ? $", {lost} lost to offline replicas" : string.Empty)}";
    }
}
