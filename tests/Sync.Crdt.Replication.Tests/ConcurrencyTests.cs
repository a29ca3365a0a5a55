using System.Collections.Concurrent;
using System.Threading.Tasks;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;

namespace Sync.Crdt.Replication.Tests;

/// <summary>The replicator's lock: concurrent updates and message handling lose nothing.</summary>
public class ConcurrencyTests
{
    [Fact]
    public void UpdatesAndReceives_FromManyThreads_LoseNoIncrement()
    {
        var a = new DeltaReplicator("a");
        var b = new DeltaReplicator("b");
        a.AddPeer("b");
        b.AddPeer("a");
        a.Define("hits", GCounter.Empty);
        const int Threads = 4;
        const int PerThread = 500;
        var pending = new ConcurrentQueue<OutgoingMessage>();

        Parallel.For(0, Threads + 1, worker =>
        {
            if (worker < Threads)
            {
                for (int i = 0; i < PerThread; i++)
                {
                    a.Update("hits", (GCounter c, ReplicaId me, out GCounter d) => c.Increment(me, 1, out d));
                }

                return;
            }

            for (int round = 0; round < 200; round++)
            {
                foreach (OutgoingMessage m in b.CreateSyncMessages())
                {
                    pending.Enqueue(m);
                }

                while (pending.TryDequeue(out OutgoingMessage next))
                {
                    DeltaReplicator target = next.Recipient == a.Replica ? a : b;
                    foreach (OutgoingMessage reply in target.Receive(next.Message))
                    {
                        pending.Enqueue(reply);
                    }
                }
            }
        });

        var network = new ReliableNetwork(a, b);
        network.SyncAll();
        Assert.Equal(Threads * PerThread, a.Get<GCounter>("hits").Value);
        Assert.Equal(Threads * PerThread, b.Get<GCounter>("hits").Value);
        Assert.Equal(Threads * PerThread + 1, a.Vector[new ReplicaId("a")]);
    }
}
