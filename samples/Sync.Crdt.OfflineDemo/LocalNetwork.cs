using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Sync.Crdt.Causality;
using Sync.Crdt.Replication;

namespace Sync.Crdt.OfflineDemo;

/// <summary>An in-process network: frames queue until delivered; a replica that is offline loses what is sent to it.</summary>
internal sealed class LocalNetwork
{
    private readonly Queue<(ReplicaId From, ReplicaId To, ReadOnlyMemory<byte> Frame)> _frames = new();
    private readonly Dictionary<ReplicaId, DurableReplica> _online = [];

    public FrameSender SenderFor(Func<ReplicaId> from) => (to, frame) =>
    {
        lock (_frames)
        {
            _frames.Enqueue((from(), to, frame));
        }
    };

    public void Online(DurableReplica replica) => _online[replica.Replica] = replica;

    public void Offline(DurableReplica replica) => _online.Remove(replica.Replica);

    /// <summary>Sync rounds until every online replica holds the same events.</summary>
    public async Task SyncAsync(params DurableReplica[] replicas)
    {
        for (int round = 0; round < 10; round++)
        {
            foreach (DurableReplica replica in replicas)
            {
                await replica.SyncRoundAsync();
                await replica.FlushAsync();
            }

            while (true)
            {
                (ReplicaId From, ReplicaId To, ReadOnlyMemory<byte> Frame) next;
                lock (_frames)
                {
                    if (!_frames.TryDequeue(out next))
                    {
                        break;
                    }
                }

                if (_online.TryGetValue(next.To, out DurableReplica? target))
                {
                    await target.ReceiveAsync(next.Frame, next.From);
                    await target.FlushAsync();
                }
            }

            if (Array.TrueForAll(replicas, r => r.Vector.Equals(replicas[0].Vector) && r.HeldFrameCount == 0))
            {
                return;
            }
        }
    }
}
