using System.Globalization;
using System.Linq;

namespace Sync.Crdt.Replication.Tests.Simulation;

/// <summary>
/// A complete, replayable simulation case: the network's random seed (drops, duplicates, delays and delivery
/// order are drawn from it), the fault rates, whether the nodes keep durable stores, and the steps. Printing it
/// prints everything needed to replay.
/// </summary>
public sealed record SimulationSchedule(int Seed, int Nodes, int DropPercent, int DuplicatePercent, int MaxDelay, int MaxBufferedDeltas, bool Durable, SimulationStep[] Steps)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"seed={Seed} nodes={Nodes} drop={DropPercent}% dup={DuplicatePercent}% maxDelay={MaxDelay} buffer={MaxBufferedDeltas} durable={Durable} steps=[{string.Join(" ", Steps.Select(s => s.ToString()))}]");
}
