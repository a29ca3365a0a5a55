using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Tests.TestTypes;

namespace Sync.Crdt.Replication.Tests;

/// <summary>
/// A loss-free, in-order, in-memory transport for unit tests: one <see cref="ReplicationPump"/> per replicator,
/// whose frames queue on one wire and are delivered (to the recipient's pump) until none remain. Every message
/// crosses as bytes, so every test also runs the wire format. Records what was delivered.
/// </summary>
public sealed class LoopbackNetwork
{
    private readonly Dictionary<ReplicaId, ReplicationPump> _pumps = [];
    private readonly Queue<(ReplicaId To, ReadOnlyMemory<byte> Frame)> _wire = new();
    private readonly ReplicationSerializer _serializer;

    public LoopbackNetwork(params DeltaReplicator[] replicators)
        : this(TestFormats.Serializer, replicators)
    {
    }

    public LoopbackNetwork(ReplicationSerializer serializer, params DeltaReplicator[] replicators)
    {
        _serializer = serializer;
        foreach (DeltaReplicator replicator in replicators)
        {
            Join(replicator);
        }
    }

    /// <summary>Gets the results of every delivered frame, in delivery order.</summary>
    public List<ReceiveResult> Results { get; } = [];

    /// <summary>Gets the delivered messages (as the recipients decoded them), in delivery order.</summary>
    public IEnumerable<ReplicationMessage> Delivered => Results.Select(r => r.Message);

    /// <summary>Gets the bytes of every delivered frame.</summary>
    public long BytesDelivered { get; private set; }

    /// <summary>Forgets what was delivered so far.</summary>
    public void ClearRecords()
    {
        Results.Clear();
        BytesDelivered = 0;
    }

    /// <summary>Adds a replicator (with its own pump) and makes it a peer of every other.</summary>
    public ReplicationPump Join(DeltaReplicator replicator, ReplicationPumpOptions? options = null)
    {
        foreach (ReplicationPump other in _pumps.Values)
        {
            other.Replicator.AddPeer(replicator.Replica);
            replicator.AddPeer(other.Replicator.Replica);
        }

        var pump = new ReplicationPump(replicator, _serializer, (to, frame) => _wire.Enqueue((to, frame)), options);
        _pumps[replicator.Replica] = pump;
        return pump;
    }

    /// <summary>Gets the pump of a member.</summary>
    public ReplicationPump PumpOf(DeltaReplicator replicator) => _pumps[replicator.Replica];

    /// <summary>Starts a sync round at <paramref name="replicator"/> and delivers everything that follows.</summary>
    public void SyncFrom(DeltaReplicator replicator)
    {
        PumpOf(replicator).SyncRound();
        DeliverAll();
    }

    /// <summary>Pushes from <paramref name="replicator"/> and delivers everything that follows.</summary>
    public void PushFrom(DeltaReplicator replicator)
    {
        PumpOf(replicator).Push();
        DeliverAll();
    }

    /// <summary>Runs sync rounds at every member until nothing more flows.</summary>
    public void SyncAll(int rounds = 2)
    {
        for (int i = 0; i < rounds; i++)
        {
            foreach (ReplicationPump pump in _pumps.Values.ToArray())
            {
                pump.SyncRound();
                DeliverAll();
            }
        }
    }

    /// <summary>Delivers queued frames, and the replies they cause, until the wire is empty. Frames to non-members are dropped.</summary>
    public void DeliverAll()
    {
        int guard = 0;
        while (_wire.TryDequeue(out (ReplicaId To, ReadOnlyMemory<byte> Frame) next))
        {
            if (++guard > 100_000)
            {
                throw new InvalidOperationException("Message storm.");
            }

            if (_pumps.TryGetValue(next.To, out ReplicationPump? pump))
            {
                BytesDelivered += next.Frame.Length;
                Results.Add(pump.Receive(next.Frame.Span));
            }
        }
    }
}
