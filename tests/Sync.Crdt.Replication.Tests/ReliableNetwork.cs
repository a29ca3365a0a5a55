using System;
using System.Collections.Generic;
using System.Linq;

namespace Sync.Crdt.Replication.Tests;

/// <summary>A loss-free, in-order in-memory transport for unit tests: delivers messages and their replies until none remain, recording every delivered message.</summary>
public sealed class ReliableNetwork
{
    private readonly Dictionary<string, DeltaReplicator> _byId = [];

    public ReliableNetwork(params DeltaReplicator[] replicators)
    {
        foreach (DeltaReplicator replicator in replicators)
        {
            Join(replicator);
        }
    }

    public List<ReplicationMessage> Delivered { get; } = [];

    /// <summary>Adds a replicator and makes it a peer of every other.</summary>
    public void Join(DeltaReplicator replicator)
    {
        foreach (DeltaReplicator other in _byId.Values)
        {
            other.AddPeer(replicator.Replica);
            replicator.AddPeer(other.Replica);
        }

        _byId[replicator.Replica.Value] = replicator;
    }

    /// <summary>Starts a sync round at <paramref name="replicator"/> and delivers everything that follows.</summary>
    public void SyncFrom(DeltaReplicator replicator) => Deliver(replicator.CreateSyncMessages());

    /// <summary>Runs sync rounds at every replicator until nothing more flows.</summary>
    public void SyncAll(int rounds = 2)
    {
        for (int i = 0; i < rounds; i++)
        {
            foreach (DeltaReplicator replicator in _byId.Values.ToArray())
            {
                SyncFrom(replicator);
            }
        }
    }

    public void Deliver(IEnumerable<OutgoingMessage> messages)
    {
        var queue = new Queue<OutgoingMessage>(messages);
        int guard = 0;
        while (queue.Count > 0)
        {
            if (++guard > 100_000)
            {
                throw new InvalidOperationException("Message storm.");
            }

            OutgoingMessage next = queue.Dequeue();
            if (!_byId.TryGetValue(next.Recipient.Value, out DeltaReplicator? target))
            {
                continue;
            }

            Delivered.Add(next.Message);
            foreach (OutgoingMessage reply in target.Receive(next.Message))
            {
                queue.Enqueue(reply);
            }
        }
    }
}
