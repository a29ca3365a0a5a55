using System.Globalization;

namespace Sync.Crdt.Text.Tests.Fuzz;

/// <summary>How often a batch of fuzz cases reached each delivery path; the tests assert every path was reached.</summary>
internal sealed class TextFuzzStats
{
    public int Cases;
    public int Replicas;
    public int LocalInserts;
    public int LocalDeletes;
    public int AstralUnitsInserted;
    public int UnitsInserted;
    public int PairBoundaryEdits;
    public int SingleEditDeliveries;
    public int Duplicates;
    public int DeliveriesLeavingPending;
    public int PendingCleared;
    public int WholeStates;
    public int CurrentDiffs;
    public int StaleDiffs;
    public int DelayedSyncs;
    public int Restarts;
    public int Partitions;
    public int PartitionedSteps;
    public int Observations;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Cases} cases, {Replicas} replicas, {LocalInserts} inserts ({AstralUnitsInserted}/{UnitsInserted} code units astral), {LocalDeletes} deletes, "
        + $"{PairBoundaryEdits} edits at pair boundaries, {SingleEditDeliveries} single-edit deliveries ({Duplicates} duplicates, {DeliveriesLeavingPending} left pending, "
        + $"{PendingCleared} cleared pending), {WholeStates} whole states, {CurrentDiffs} current diffs, {StaleDiffs} stale diffs, {DelayedSyncs} delayed syncs, "
        + $"{Restarts} restarts, {Partitions} partitions ({PartitionedSteps} partitioned steps), {Observations} observations");
}
