using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Replication.Tests.TestTypes;

namespace Sync.Crdt.Replication.Tests;

/// <summary>The replicator's and the pump's locks: concurrent updates, pushes and message handling lose nothing.</summary>
public class ConcurrencyTests
{
    private static readonly ReplicatedKey<GCounter> Hits = new("hits");

    [Fact]
    public void UpdatesPushesAndReceives_FromManyThreads_LoseNoIncrement()
    {
        var a = new DeltaReplicator("a");
        var b = new DeltaReplicator("b");
        a.AddPeer("b");
        b.AddPeer("a");
        a.Define(Hits, GCounter.Empty);
        const int Threads = 4;
        const int PerThread = 500;
        var wire = new ConcurrentQueue<(ReplicaId To, ReadOnlyMemory<byte> Frame)>();
        var pumpA = new ReplicationPump(a, TestFormats.Serializer, (to, frame) => wire.Enqueue((to, frame)));
        var pumpB = new ReplicationPump(b, TestFormats.Serializer, (to, frame) => wire.Enqueue((to, frame)));

        Parallel.For(0, Threads + 1, worker =>
        {
            if (worker < Threads)
            {
                for (int i = 0; i < PerThread; i++)
                {
                    a.Update(Hits, static (c, me, out d) => c.Increment(me, 1, out d));
                    if (i % 10 == 0)
                    {
                        pumpA.Push();
                    }
                }

                return;
            }

            for (int round = 0; round < 200; round++)
            {
                pumpB.SyncRound();
                while (wire.TryDequeue(out (ReplicaId To, ReadOnlyMemory<byte> Frame) next))
                {
                    (next.To == a.Replica ? pumpA : pumpB).Receive(next.Frame.Span);
                }
            }
        });

        pumpB.SyncRound();
        while (wire.TryDequeue(out (ReplicaId To, ReadOnlyMemory<byte> Frame) next))
        {
            (next.To == a.Replica ? pumpA : pumpB).Receive(next.Frame.Span);
        }

        Assert.Equal(Threads * PerThread, a.Get(Hits).Value);
        Assert.Equal(Threads * PerThread, b.Get(Hits).Value);
        Assert.Equal(Threads * PerThread + 1, a.Vector[new ReplicaId("a")]);
        Assert.Equal(pumpA.FramesSent + pumpB.FramesSent, pumpA.FramesReceived + pumpB.FramesReceived);
    }
}
