using System.Globalization;

namespace Sync.Crdt.Replication.Tests.Simulation;

/// <summary>What one step of a simulated schedule does.</summary>
public enum StepKind
{
    /// <summary>A random local update at <see cref="SimulationStep.Node"/>, chosen by <see cref="SimulationStep.Argument"/>.</summary>
    Update,

    /// <summary>The node starts a sync round (digests to every peer).</summary>
    Sync,

    /// <summary>Up to <see cref="SimulationStep.Argument"/> + 1 due messages are delivered, in random order.</summary>
    Deliver,

    /// <summary>The network splits into two sides (bit mask from the argument); messages across are dropped.</summary>
    Partition,

    /// <summary>The partition heals.</summary>
    Heal,

    /// <summary>The node crashes and restarts under a fresh id from its last snapshot (or empty), or a durable node from its store's snapshot and committed log.</summary>
    Crash,

    /// <summary>The node writes a snapshot of its durable state (a durable node's store compacts its log).</summary>
    Snapshot,

    /// <summary>The node pushes what each peer lacks.</summary>
    Push,

    /// <summary>A durable node's store commits what was appended since its last commit; held frames leave.</summary>
    Commit,
}

/// <summary>One step of a schedule.</summary>
public readonly record struct SimulationStep(StepKind Kind, int Node, int Argument)
{
    public override string ToString() => Kind switch
    {
        StepKind.Heal => "heal",
        StepKind.Partition => string.Create(CultureInfo.InvariantCulture, $"part({Argument})"),
        StepKind.Deliver => string.Create(CultureInfo.InvariantCulture, $"deliver({Argument + 1})"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Kind.ToString().ToLowerInvariant()}(n{Node},{Argument})"),
    };
}
