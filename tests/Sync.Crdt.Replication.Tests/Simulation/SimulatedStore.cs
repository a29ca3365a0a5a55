using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication.Tests.Simulation;

/// <summary>
/// A store as a durable replica would use it, in memory: entries are appended as pending and become durable at the
/// next commit; compaction writes a snapshot and drops the entries the replicator no longer needs. What survives a
/// crash is the snapshot plus the committed entries.
/// </summary>
public sealed class SimulatedStore
{
    private readonly List<DeltaLogEntry> _pending = [];
    private readonly List<DeltaLogEntry> _committed = [];

    public SimulatedStore(ReplicaId owner) => Snapshot = new ReplicatorSnapshot(owner, VersionVector.Empty, []);

    public ReplicatorSnapshot Snapshot { get; private set; }

    public IReadOnlyList<DeltaLogEntry> CommittedLog => _committed;

    public int PendingCount => _pending.Count;

    public void Append(DeltaLogEntry entry) => _pending.Add(entry);

    /// <summary>Makes every pending entry durable; returns the vector now durable, or null when nothing was pending.</summary>
    public VersionVector? Commit()
    {
        if (_pending.Count == 0)
        {
            return null;
        }

        _committed.AddRange(_pending);
        _pending.Clear();
        return _committed[^1].To;
    }

    /// <summary>Commits, then replaces the log by a snapshot plus the entries the replicator still buffers.</summary>
    public VersionVector? Compact(DeltaReplicator replicator)
    {
        VersionVector? durable = Commit();
        Snapshot = replicator.CreateSnapshot();
        VersionVector floor = replicator.BufferFloor;
        _committed.RemoveAll(entry => floor.Dominates(entry.To));
        return durable;
    }

    /// <summary>Forgets what was never committed (the process died).</summary>
    public void LosePending() => _pending.Clear();

    public bool IsCommitted(DeltaLogEntry entry) => _committed.Contains(entry) || Snapshot.Vector.Dominates(entry.To);

    public override string ToString() => $"snapshot {Snapshot.Vector}, {_committed.Count} committed, {_pending.Count} pending; log [{string.Join(" ", _committed.Select(e => e.To.ToString()))}]";
}
