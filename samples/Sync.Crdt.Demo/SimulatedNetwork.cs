using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;

namespace Sync.Crdt.Demo;

/// <summary>
/// An in-memory network between replicators: replicas can go offline (their messages are lost, as on a real
/// network), and every message that is delivered is also encoded with the real wire format so the demo can
/// report what crossed the wire.
/// </summary>
internal sealed class SimulatedNetwork(IReadOnlyList<DeltaReplicator> replicas, ReplicationSerializer serializer)
{
    private readonly HashSet<ReplicaId> _offline = [];

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

    /// <summary>Runs one anti-entropy round: every online replica gossips, and replies are delivered until the network is quiet.</summary>
    public string SyncRound()
    {
        var inbox = new Queue<OutgoingMessage>();
        foreach (DeltaReplicator replica in replicas.Where(r => IsOnline(r.Replica)))
        {
            foreach (OutgoingMessage message in replica.CreateSyncMessages())
            {
                inbox.Enqueue(message);
            }
        }

        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        long bytes = 0;
        int lost = 0;
        while (inbox.Count > 0)
        {
            OutgoingMessage next = inbox.Dequeue();
            if (!IsOnline(next.Recipient) || !IsOnline(next.Message.Sender))
            {
                lost++;
                continue;
            }

            byte[] wire = serializer.SerializeToBytes(next.Message);
            bytes += wire.Length;
            string kind = next.Message.GetType().Name.Replace("Message", string.Empty, StringComparison.Ordinal);
            counts[kind] = counts.TryGetValue(kind, out int n) ? n + 1 : 1;
            DeltaReplicator recipient = replicas.First(r => r.Replica == next.Recipient);
            foreach (OutgoingMessage reply in recipient.Receive(serializer.Deserialize(wire)))
            {
                inbox.Enqueue(reply);
            }
        }

        string delivered = string.Join(", ", counts.Select(c => $"{c.Value} {c.Key}"));
        return $"delivered {delivered} ({bytes:N0} bytes on the wire){(lost > 0 ? $", {lost} lost to offline replicas" : string.Empty)}";
    }
}
