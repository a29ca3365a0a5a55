using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
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

    [Fact]
    public async Task HoldUntilDurable_UnderConcurrentUpdatesReceivesAndCommits_NoFrameClaimsUncommittedEvents()
    {
        var a = new DeltaReplicator("a");
        var b = new DeltaReplicator("b");
        a.AddPeer("b");
        b.AddPeer("a");
        a.Define(Hits, GCounter.Empty, out DeltaLogEntry? defined);
        b.Define(new ReplicatedKey<GCounter>("other"), GCounter.Empty);
        var produced = new ConcurrentQueue<DeltaLogEntry>([defined!]);
        var wire = new ConcurrentQueue<(ReplicaId To, ReadOnlyMemory<byte> Frame)>();
        int violations = 0;
        ReplicationPump pumpA = null!;
        pumpA = new ReplicationPump(
            a,
            TestFormats.Serializer,
            (to, frame) =>
            {
                // Whatever a frame tells the peer a holds must already be durable when the frame leaves.
                VersionVector claimed = TestFormats.Serializer.Deserialize(frame.Span) switch
                {
                    DigestMessage digest => digest.Vector,
                    DeltaGroupMessage group => group.Top,
                    FullStateMessage full => full.Vector,
                    _ => throw new InvalidOperationException(),
                };
                if (!pumpA.DurableVector.Dominates(claimed))
                {
                    Interlocked.Increment(ref violations);
                }

                wire.Enqueue((to, frame));
            },
            new ReplicationPumpOptions { HoldUntilDurable = true });
        var pumpB = new ReplicationPump(b, TestFormats.Serializer, (to, frame) => wire.Enqueue((to, frame)));
        using var done = new CancellationTokenSource();

        Task updates = Task.Run(() =>
        {
            for (int i = 0; i < 400; i++)
            {
                a.Update(Hits, static (c, me, out d) => c.Increment(me, 1, out d), out DeltaLogEntry? entry);
                produced.Enqueue(entry!);
                b.Update(new ReplicatedKey<GCounter>("other"), static (c, me, out d) => c.Increment(me, 1, out d));
                if (i % 8 == 0)
                {
                    pumpA.Push();
                    pumpB.Push();
                }
            }
        });
        Task transport = Task.Run(() =>
        {
            while (!done.IsCancellationRequested || !wire.IsEmpty)
            {
                pumpA.SyncRound();
                pumpB.SyncRound();
                while (wire.TryDequeue(out (ReplicaId To, ReadOnlyMemory<byte> Frame) next))
                {
                    if (next.To == a.Replica)
                    {
                        ReceiveResult result = pumpA.Receive(next.Frame.Span, from: "b");
                        if (result.Entry is { } entry)
                        {
                            produced.Enqueue(entry);
                        }
                    }
                    else
                    {
                        pumpB.Receive(next.Frame.Span, from: "a");
                    }
                }
            }
        });

        // The store: entries arrive from two threads, out of chain order; commit the contiguous prefix of the chain.
        var waiting = new Dictionary<VersionVector, DeltaLogEntry>();
        VersionVector committed = VersionVector.Empty;
        int commits = 0;
        void Commit()
        {
            while (produced.TryDequeue(out DeltaLogEntry? entry))
            {
                waiting.Add(entry.From, entry);
            }

            while (waiting.Remove(committed, out DeltaLogEntry? next))
            {
                committed = next.To;
                commits++;
            }

            pumpA.MarkDurable(committed);
        }

        while (!updates.IsCompleted)
        {
            Commit();
            await Task.Yield();
        }

        await updates;

        for (int round = 0; round < 50 && (a.Get(Hits).Value < 400 || b.Get(Hits).Value < 400 || pumpA.HeldFrameCount > 0); round++)
        {
            Commit();
            await Task.Delay(5);
        }

        await done.CancelAsync();
        await transport;
        Commit();

        Assert.Equal(0, violations);
        Assert.Empty(waiting);
        Assert.Equal(a.Vector, committed);
        Assert.Equal(400, b.Get(Hits).Value);
        Assert.True(commits > 400, $"{commits} entries committed");
    }
}
