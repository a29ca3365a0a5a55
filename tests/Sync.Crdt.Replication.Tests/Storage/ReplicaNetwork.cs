using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication.Encoding;

namespace Sync.Crdt.Replication.Tests.Storage;

/// <summary>
/// A deterministic in-process network for durable replicas: frames queue in send order and are delivered when the test
/// says; frames to replicas that are offline (not attached) are dropped, as on a real network.
/// </summary>
public sealed class ReplicaNetwork
{
    private readonly Queue<(ReplicaId From, ReplicaId To, ReadOnlyMemory<byte> Frame)> _frames = new();
    private readonly Dictionary<ReplicaId, DurableReplica> _online = [];
    private readonly object _gate = new();

    public static ReplicationSerializer Serializer { get; } = new(
    [
        ReplicatedValueFormat.Create(CrdtCodecs.LWWMap(CrdtCodecs.String, CrdtCodecs.Int64)),
        ReplicatedValueFormat.Create(CrdtCodecs.ORSet(CrdtCodecs.String)),
        ReplicatedValueFormat.Create(CrdtCodecs.GCounter),
    ]);

    /// <summary>Gets the bytes delivered to each recipient so far.</summary>
    public Dictionary<ReplicaId, long> BytesDelivered { get; } = [];

    /// <summary>A sender for the replica that will be called <paramref name="from"/> (the id is known only after open, so it is read lazily).</summary>
    public FrameSender SenderFor(Func<ReplicaId> from) => (to, frame) =>
    {
        lock (_gate)
        {
            _frames.Enqueue((from(), to, frame));
        }
    };

    public void Attach(DurableReplica replica)
    {
        lock (_gate)
        {
            _online[replica.Replica] = replica;
        }
    }

    public void Detach(DurableReplica replica)
    {
        lock (_gate)
        {
            _online.Remove(replica.Replica);
        }
    }

    /// <summary>Delivers queued frames (and the frames their handling produces) until none is left or <paramref name="maxFrames"/> were handled.</summary>
    public async Task<int> DeliverAllAsync(int maxFrames = 10_000)
    {
        int delivered = 0;
        while (delivered < maxFrames)
        {
            (ReplicaId From, ReplicaId To, ReadOnlyMemory<byte> Frame) next;
            DurableReplica? target;
            lock (_gate)
            {
                if (!_frames.TryDequeue(out next))
                {
                    break;
                }

                _online.TryGetValue(next.To, out target);
            }

            if (target is null)
            {
                continue; // offline: lost
            }

            BytesDelivered[next.To] = BytesDelivered.GetValueOrDefault(next.To) + next.Frame.Length;
            await target.ReceiveAsync(next.Frame, next.From);
            await target.FlushAsync();
            delivered++;
        }

        return delivered;
    }

    /// <summary>Runs sync rounds and deliveries until nothing more moves.</summary>
    public async Task SyncAsync(params DurableReplica[] replicas)
    {
        for (int round = 0; round < 20; round++)
        {
            foreach (DurableReplica replica in replicas)
            {
                await replica.SyncRoundAsync();
                await replica.FlushAsync();
            }

            await DeliverAllAsync();
            if (Array.TrueForAll(replicas, r => r.Vector.Equals(replicas[0].Vector)) && Array.TrueForAll(replicas, r => r.HeldFrameCount == 0))
            {
                return;
            }
        }
    }

    /// <summary>Removes and returns the queued frames, for a test that delivers them by hand.</summary>
    public List<(ReplicaId From, ReplicaId To, ReadOnlyMemory<byte> Frame)> TakeQueued()
    {
        lock (_gate)
        {
            var frames = new List<(ReplicaId From, ReplicaId To, ReadOnlyMemory<byte> Frame)>(_frames);
            _frames.Clear();
            return frames;
        }
    }

    public void DropQueued()
    {
        lock (_gate)
        {
            _frames.Clear();
        }
    }
}
