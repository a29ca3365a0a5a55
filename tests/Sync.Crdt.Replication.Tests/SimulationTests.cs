using System;
using FsCheck.Fluent;
using Sync.Crdt.Replication.Tests.Simulation;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Replication.Tests;

/// <summary>
/// The convergence proof: FsCheck generates schedules (2–7 replicas behind pumps, random updates on eight CRDTs, sync
/// rounds, pushes, message loss, duplication, delay and reordering, partitions, crashes with restarts; in durable
/// schedules, stores that commit at random steps and pumps that hold frames until then); after healing and
/// quiescence every replica is equal and matches the sequential specification. A failure prints the FsCheck seed
/// and the whole schedule.
/// </summary>
public class SimulationTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private long _groups;
    private long _fullStates;
    private long _rejected;
    private long _crashes;
    private long _pushed;
    private long _released;
    private long _restoresWithLog;

    [Fact]
    public void RandomSchedules_AfterHealing_AllReplicasConvergeToSpecification()
    {
        PropertyCheck.ForAll(SimulationGenerators.Schedule(), RunAndCheck, iterations: 150);

        output.WriteLine(
            $"150 schedules: {_groups} delta groups, {_fullStates} full states, {_rejected} groups rejected by the causal rule, {_crashes} crashes, " +
            $"{_pushed} pushed frames, {_released} frames released by commits, {_restoresWithLog} restores from a store's log");

        // The schedules must reach every path of the protocol, or the property proves less than it claims.
        Assert.True(
            _groups > 0 && _fullStates > 0 && _rejected > 0 && _crashes > 0 && _pushed > 0 && _released > 0 && _restoresWithLog > 0,
            $"groups {_groups}, full states {_fullStates}, rejected {_rejected}, crashes {_crashes}, pushed {_pushed}, released {_released}, restores with log {_restoresWithLog}");
    }

    [Fact]
    public void RandomSchedules_WithHeavyLossAndTinyBuffers_Converge() =>
        PropertyCheck.ForAll(
            from s in SimulationGenerators.Schedule(minNodes: 3, maxNodes: 5, maxSteps: 250)
            select s with { DropPercent = 50, DuplicatePercent = 30, MaxBufferedDeltas = 2 },
            RunAndCheck,
            iterations: 60);

    private void RunAndCheck(SimulationSchedule schedule)
    {
        var simulation = new NetworkSimulation(schedule);
        simulation.Run();
        int rounds = simulation.Quiesce();
        if (rounds > 30)
        {
            throw new InvalidOperationException("No convergence after 30 fault-free rounds." + Environment.NewLine + simulation.Describe());
        }

        simulation.AssertConvergedToSpecification();
        _groups += simulation.DeltaGroupsDelivered;
        _fullStates += simulation.FullStatesDelivered;
        _rejected += simulation.GroupsRejectedByCausalRule;
        _crashes += simulation.Crashes;
        _pushed += simulation.PushedFrames;
        _released += simulation.FramesReleasedByCommits;
        _restoresWithLog += simulation.RestoresWithLog;
    }
}
