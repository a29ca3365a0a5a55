using System;
using FsCheck.Fluent;
using Sync.Crdt.Replication.Tests.Simulation;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Replication.Tests;

/// <summary>
/// The convergence proof: FsCheck generates schedules (2–7 replicas, random updates on four CRDTs, sync rounds,
/// message loss, duplication, delay and reordering, partitions, crashes with restarts from the last snapshot);
/// after healing and quiescence every replica is equal and matches the sequential specification.
/// A failure prints the FsCheck seed and the whole schedule.
/// </summary>
public class SimulationTests
{
    [Fact]
    public void RandomSchedules_AfterHealing_AllReplicasConvergeToSpecification() =>
        PropertyCheck.ForAll(SimulationGenerators.Schedule(), RunAndCheck, iterations: 150);

    [Fact]
    public void RandomSchedules_WithHeavyLossAndTinyBuffers_Converge() =>
        PropertyCheck.ForAll(
            from s in SimulationGenerators.Schedule(minNodes: 3, maxNodes: 5, maxSteps: 250)
            select s with { DropPercent = 50, DuplicatePercent = 30, MaxBufferedDeltas = 2 },
            RunAndCheck,
            iterations: 60);

    private static void RunAndCheck(SimulationSchedule schedule)
    {
        var simulation = new NetworkSimulation(schedule);
        simulation.Run();
        int rounds = simulation.Quiesce();
        if (rounds > 30)
        {
            throw new InvalidOperationException("No convergence after 30 fault-free rounds." + Environment.NewLine + simulation.Describe());
        }

        simulation.AssertConvergedToSpecification();
    }
}
