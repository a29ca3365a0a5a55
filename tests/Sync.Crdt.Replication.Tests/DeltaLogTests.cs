using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Replication.Tests.TestTypes;

namespace Sync.Crdt.Replication.Tests;

/// <summary>The delta log: the entries a replicator hands out, and restoring from a snapshot plus the log.</summary>
public class DeltaLogTests
{
    private static readonly ReplicatedKey<TestCounter> Hits = new("hits");
    private static readonly ReplicatedKey<GrowSet> Tags = new("tags");

    private static DeltaLogEntry Increment(DeltaReplicator replicator, long amount)
    {
        replicator.Update(Hits, (c, me, out d) => c.Increment(me, amount, out d), out DeltaLogEntry? entry);
        return entry!;
    }

    /// <summary>A replicator whose every entry is appended to <paramref name="log"/>, as a store would.</summary>
    private static DeltaReplicator Logged(string id, List<DeltaLogEntry> log)
    {
        var replicator = new DeltaReplicator(id);
        replicator.Define(Hits, TestCounter.Empty, out DeltaLogEntry? entry);
        log.Add(entry!);
        return replicator;
    }

    [Fact]
    public void Entries_OfLocalAndReceivedChanges_FormAChainEndingAtTheVector()
    {
        var log = new List<DeltaLogEntry>();
        DeltaReplicator a = Logged("a", log);
        var b = new DeltaReplicator("b");
        b.Define(Tags, GrowSet.Empty);
        b.Update(Tags, static (s, me, out d) => s.Add(7, out d));
        log.Add(Increment(a, 2));
        ReceiveResult received = a.Receive(new FullStateMessage("b", b.Vector, b.CreateSnapshot().Values));
        log.Add(received.Entry!);
        log.Add(Increment(a, 3));

        Assert.Equal(VersionVector.Empty, log[0].From);
        for (int i = 1; i < log.Count; i++)
        {
            Assert.Equal(log[i - 1].To, log[i].From);
        }

        Assert.Equal(a.Vector, log[^1].To);
        Assert.Equal(b.Vector, log[2].To.Meet(b.Vector));
    }

    [Fact]
    public void Restore_SnapshotPlusLaterEntries_ReplaysThemAndServesDeltasNotFullState()
    {
        var log = new List<DeltaLogEntry>();
        DeltaReplicator a = Logged("a", log);
        DeltaReplicator b = new("b");
        var network = new LoopbackNetwork(a, b);
        network.SyncAll();
        ReplicatorSnapshot snapshot = a.CreateSnapshot();
        int covered = log.Count;
        for (int i = 1; i <= 10; i++)
        {
            log.Add(Increment(a, i)); // made offline: b never saw these
        }

        // a crashes; its store holds the snapshot and the whole log.
        DeltaReplicator restored = DeltaReplicator.Restore(snapshot, log, "a.2");
        Assert.Equal(55, restored.Get(Hits).Value);
        Assert.Equal(log.Count, restored.BufferedDeltaCount);
        Assert.Equal(log[0].From, restored.BufferFloor);
        Assert.Equal(a.Vector, restored.Vector);

        var healed = new LoopbackNetwork(restored, b);
        healed.SyncFrom(b);

        Assert.Empty(healed.Delivered.OfType<FullStateMessage>());
        DeltaGroupMessage group = Assert.Single(healed.Delivered.OfType<DeltaGroupMessage>());
        Assert.Equal(55, ((TestCounter)Assert.Single(group.Deltas).Value.BoxedValue).Value);
        Assert.Equal(55, b.Get(Hits).Value);
        Assert.True(covered > 0);
    }

    [Fact]
    public void Restore_LogLongerThanTheBound_KeepsTheNewestEntries()
    {
        var log = new List<DeltaLogEntry>();
        DeltaReplicator a = Logged("a", log);
        for (int i = 0; i < 9; i++)
        {
            log.Add(Increment(a, 1));
        }

        DeltaReplicator restored = DeltaReplicator.Restore(new ReplicatorSnapshot("a", VersionVector.Empty, []), log, "a.2", new ReplicatorOptions(4));

        Assert.Equal(9, restored.Get(Hits).Value);
        Assert.Equal(4, restored.BufferedDeltaCount);
        Assert.Equal(log[^4].From, restored.BufferFloor);
        Assert.Equal(a.Vector, restored.Vector);
    }

    [Fact]
    public void Restore_EntriesTheSnapshotCovers_AreBufferedNotReapplied()
    {
        var log = new List<DeltaLogEntry>();
        DeltaReplicator a = Logged("a", log);
        log.Add(Increment(a, 4));
        ReplicatorSnapshot snapshot = a.CreateSnapshot();

        DeltaReplicator restored = DeltaReplicator.Restore(snapshot, log, "a");

        Assert.Same(a.Get(Hits), restored.Get(Hits));
        Assert.Equal(2, restored.BufferedDeltaCount);
        Assert.Equal(a.Vector, restored.Vector);
    }

    [Fact]
    public void Restore_BrokenLogs_Throw()
    {
        var log = new List<DeltaLogEntry>();
        DeltaReplicator a = Logged("a", log);
        log.Add(Increment(a, 1));
        ReplicatorSnapshot early = new("a", VersionVector.Empty, []);
        ReplicatorSnapshot late = a.CreateSnapshot();
        log.Add(Increment(a, 1));

        // Not a chain (an entry is missing in the middle).
        Assert.Throws<ArgumentException>(() => DeltaReplicator.Restore(early, [log[0], log[2]], "a.2"));

        // Does not continue from the snapshot (the first entries after it are missing).
        Assert.Throws<ArgumentException>(() => DeltaReplicator.Restore(early, [log[1], log[2]], "a.2"));

        // Ends before the snapshot: it could not serve deltas up to the restored state.
        Assert.Throws<ArgumentException>(() => DeltaReplicator.Restore(late, [log[0]], "a.2"));

        // A null entry or log.
        Assert.Throws<ArgumentNullException>(() => DeltaReplicator.Restore(early, [log[0], null!], "a.2"));
        Assert.Throws<ArgumentNullException>(() => DeltaReplicator.Restore(early, null!, "a.2"));

        // Another type under a key the snapshot holds.
        var conflicting = new DeltaLogEntry(late.Vector, late.Vector.Increment("a"), [new KeyValuePair<string, ReplicatedValue>("hits", ReplicatedValue.Create(GrowSet.Empty))]);
        Assert.Throws<ArgumentException>(() => DeltaReplicator.Restore(late, [conflicting], "a.2"));

        // Another replica's id, whose events the restored state (here: the replayed log) holds.
        Assert.Throws<ArgumentException>(() => DeltaReplicator.Restore(new ReplicatorSnapshot("z", VersionVector.Empty, []), log, "a"));
    }

    [Fact]
    public void Entry_MustAddEvents_AndNormalizesItsDeltas()
    {
        VersionVector one = VersionVector.Create(new Dot("a", 1));
        var x = new KeyValuePair<string, ReplicatedValue>("x", ReplicatedValue.Create(GrowSet.Empty));
        var y = new KeyValuePair<string, ReplicatedValue>("y", ReplicatedValue.Create(GrowSet.Empty));

        Assert.Throws<ArgumentException>(() => new DeltaLogEntry(one, one, [x]));
        Assert.Throws<ArgumentException>(() => new DeltaLogEntry(one, VersionVector.Create(new Dot("b", 1)), [x]));
        Assert.Throws<ArgumentException>(() => new DeltaLogEntry(VersionVector.Empty, one, [x, x]));
        Assert.Throws<ArgumentNullException>(() => new DeltaLogEntry(null!, one, [x]));
        Assert.Equal(["x", "y"], new DeltaLogEntry(VersionVector.Empty, one, [y, x]).Deltas.Select(d => d.Key));
    }

    [Fact]
    public void BufferFloor_TellsAStoreWhichEntriesItMayDelete()
    {
        var log = new List<DeltaLogEntry>();
        DeltaReplicator a = Logged("a", log);
        DeltaReplicator b = new("b");
        var network = new LoopbackNetwork(a, b);
        log.Add(Increment(a, 1));
        network.SyncAll();
        log.Add(Increment(a, 1));

        VersionVector floor = a.BufferFloor;
        List<DeltaLogEntry> kept = log.Where(e => !floor.Dominates(e.To)).ToList();

        Assert.Equal([log[^1]], kept);
        Assert.Equal(a.BufferedDeltaCount, kept.Count);
    }
}
