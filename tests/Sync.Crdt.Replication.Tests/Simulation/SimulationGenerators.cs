using FsCheck;
using FsCheck.Fluent;

namespace Sync.Crdt.Replication.Tests.Simulation;

/// <summary>FsCheck generators for simulation schedules.</summary>
public static class SimulationGenerators
{
    public static Gen<SimulationSchedule> Schedule(int minNodes = 2, int maxNodes = 7, int maxSteps = 160) =>
        from seed in Gen.Choose(0, int.MaxValue)
        from nodes in Gen.Choose(minNodes, maxNodes)
        from drop in Gen.Elements(0, 5, 20, 50)
        from dup in Gen.Elements(0, 10, 30)
        from delay in Gen.Choose(0, 8)
        from buffer in Gen.Elements(2, 8, 64, ReplicatorOptions.DefaultMaxBufferedDeltas)
        from durable in Gen.Elements(false, true)
        from count in Gen.Choose(10, maxSteps)
        from steps in Gen.ArrayOf(Step(nodes), count)
        select new SimulationSchedule(seed, nodes, drop, dup, delay, buffer, durable, steps);

    private static Gen<SimulationStep> Step(int nodes)
    {
        Gen<int> node = Gen.Choose(0, nodes - 1);
        Gen<int> argument = Gen.Choose(0, 1000);
        Gen<SimulationStep> Of(StepKind kind) => from n in node from a in argument select new SimulationStep(kind, n, a);
        return Gen.Frequency(
            (30, Of(StepKind.Update)),
            (15, Of(StepKind.Sync)),
            (30, from a in Gen.Choose(0, 5) select new SimulationStep(StepKind.Deliver, 0, a)),
            (3, Of(StepKind.Partition)),
            (3, Gen.Constant(new SimulationStep(StepKind.Heal, 0, 0))),
            (3, Of(StepKind.Crash)),
            (6, Of(StepKind.Snapshot)),
            (8, Of(StepKind.Push)),
            (10, Of(StepKind.Commit)));
    }
}
