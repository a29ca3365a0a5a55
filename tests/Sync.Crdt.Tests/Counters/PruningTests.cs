using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Counters;

public class PruningTests
{
    [Fact]
    public void PruneReplica_FoldsTheCountIntoTheSurvivor_KeepingTheValue()
    {
        GCounter counter = GCounter.Empty.Increment("gone", 5).Increment("keep", 3).Increment("other", 1);

        GCounter pruned = counter.PruneReplica("gone", "keep");

        Assert.Equal(9, pruned.Value);
        Assert.Equal(0, pruned["gone"]);
        Assert.Equal(8, pruned["keep"]);
        Assert.Equal(2, pruned.Count);
        Assert.Same(pruned, pruned.PruneReplica("gone", "keep"));
        Assert.Equal(9, GCounter.Empty.Increment("gone", 9).PruneReplica("gone", "new")["new"]);
    }

    [Fact]
    public void PruneReplica_BadInput_Throws_AndLeavesTheCounterUnchanged()
    {
        GCounter counter = GCounter.Empty.Increment("gone", 5).Increment("keep", long.MaxValue - 10);

        Assert.Throws<ArgumentException>(() => counter.PruneReplica(default, "keep"));
        Assert.Throws<ArgumentException>(() => counter.PruneReplica("gone", default));
        Assert.Throws<ArgumentException>(() => counter.PruneReplica("gone", "gone"));
        Assert.Throws<ArgumentException>(() => counter.DropReplica(default));
        Assert.Throws<OverflowException>(() => counter.Increment("gone", 6).PruneReplica("gone", "keep"));
        Assert.Equal(5, counter["gone"]);
    }

    [Fact]
    public void StaleState_MergedIntoAPrunedOne_CountsTwice_UnlessDropReplicaCleansItFirst()
    {
        GCounter stale = GCounter.Empty.Increment("gone", 5).Increment("keep", 3);
        GCounter pruned = stale.PruneReplica("gone", "keep");

        Assert.Equal(13, pruned.Merge(stale).Value);                        // why the clean-up is part of the protocol
        Assert.Equal(8, pruned.Merge(stale.DropReplica("gone")).Value);
        Assert.Same(pruned, pruned.Merge(stale.DropReplica("gone")));
    }

    [Fact]
    public void PNCounter_PrunesAndDropsBothHalves()
    {
        PNCounter counter = PNCounter.Empty.Increment("gone", 7).Decrement("gone", 2).Increment("keep", 1).Decrement("keep", 1);

        PNCounter pruned = counter.PruneReplica("gone", "keep");

        Assert.Equal(5, pruned.Value);
        Assert.Equal(0, pruned.Increments["gone"] + pruned.Decrements["gone"]);
        Assert.Equal(5, pruned.Merge(counter.DropReplica("gone")).Value);
        Assert.Same(pruned, pruned.PruneReplica("gone", "keep"));
    }

    [Fact]
    public void Churn_TenThousandShortLivedReplicas_EntriesStayBoundedByTheLiveReplicas_AndTheValueIsExact()
    {
        // Three long-lived replicas; 10,000 short-lived ones each increment, hand their state to a live replica and
        // leave; once the pruner (live-0) has merged a leaver's state it prunes it and the marker travels with its state.
        // Stale copies of states stay in flight for a while and are delivered late, cleaned by the receiver's markers.
        var random = new Random(20261202);
        ReplicaId[] live = ["live-0", "live-1", "live-2"];
        var states = new GCounter[] { GCounter.Empty, GCounter.Empty, GCounter.Empty };
        var markers = new[] { new HashSet<ReplicaId>(), new HashSet<ReplicaId>(), new HashSet<ReplicaId>() };
        var inFlight = new List<(int To, GCounter State, int Age)>();
        var prunedOrder = new Queue<ReplicaId>();
        const int MarkerWindow = 64;                 // the obsolete time: stale states older than this are gone
        long expected = 0;
        int maxEntries = 0;
        int maxMarkers = 0;

        void Receive(int to, GCounter incoming, HashSet<ReplicaId> senderMarkers)
        {
            foreach (ReplicaId newly in senderMarkers.Where(m => !markers[to].Contains(m)).ToList())
            {
                markers[to].Add(newly);
                states[to] = states[to].DropReplica(newly);
            }

            foreach (ReplicaId marker in markers[to])
            {
                incoming = incoming.DropReplica(marker);
            }

            states[to] = states[to].Merge(incoming);
        }

        for (int i = 0; i < 10_000; i++)
        {
            ReplicaId shortLived = "short-" + i;
            int host = random.Next(3);
            GCounter own = states[host];
            long amount = random.Next(1, 10);
            expected += amount;
            own = own.Increment(shortLived, amount);
            Receive(host, own, markers[host]);
            if (random.Next(4) == 0)
            {
                inFlight.Add((random.Next(3), own, 0));
            }

            // Live replicas sync now and then (the pruner's state carries its markers).
            int from = random.Next(3);
            int to = random.Next(3);
            Receive(to, states[from], markers[from]);

            // The leaver's state reached the pruner: prune it there (only the pruner ever prunes).
            Receive(0, own, markers[host]);
            states[0] = states[0].PruneReplica(shortLived, live[0]);
            markers[0].Add(shortLived);
            prunedOrder.Enqueue(shortLived);

            // Stale states are delivered late, then the obsolete time drops old markers everywhere.
            for (int k = inFlight.Count - 1; k >= 0; k--)
            {
                (int target, GCounter stale, int age) = inFlight[k];
                if (age > MarkerWindow / 2 || random.Next(8) == 0)
                {
                    Receive(target, stale, []);
                    inFlight.RemoveAt(k);
                }
                else
                {
                    inFlight[k] = (target, stale, age + 1);
                }
            }

            while (prunedOrder.Count > MarkerWindow)
            {
                ReplicaId obsolete = prunedOrder.Dequeue();
                foreach (HashSet<ReplicaId> set in markers)
                {
                    set.Remove(obsolete);
                }
            }

            maxEntries = Math.Max(maxEntries, states.Max(s => s.Count));
            maxMarkers = Math.Max(maxMarkers, markers.Max(m => m.Count));
        }

        foreach ((int target, GCounter stale, _) in inFlight)
        {
            Receive(target, stale, []);
        }

        for (int round = 0; round < 2; round++)
        {
            for (int from = 0; from < 3; from++)
            {
                for (int to = 0; to < 3; to++)
                {
                    Receive(to, states[from], markers[from]);
                }
            }
        }

        foreach (GCounter state in states)
        {
            EqualityAssert.Equal(states[0], state);
            Assert.Equal(expected, state.Value);
            Assert.True(state.Count <= live.Length, $"{state.Count} entries after the churn");
        }

        // Entries: the live replicas plus the leavers whose prune is still travelling (31 in this run; 10,003 unpruned).
        Assert.True(maxEntries <= live.Length + MarkerWindow, $"a counter reached {maxEntries} entries");
        Assert.True(maxMarkers <= MarkerWindow, $"{maxMarkers} markers");
    }
}
