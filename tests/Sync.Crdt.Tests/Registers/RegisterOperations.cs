using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Registers;
using Sync.Crdt.TestSupport.Registers;

namespace Sync.Crdt.Tests.Registers;

/// <summary>Random register operations for <see cref="ReplicaSimulation{T}"/>, and the sequential specifications.</summary>
internal static class RegisterOperations
{
    public static ReplicaId Replica(int index) => new("r" + index.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// LWW writes: two in three use the replica's Lamport clock (value = payload); one in three uses an explicit,
    /// deliberately colliding timestamp (time 0..7, replica r0..r2, value 0..3), which exercises the replica-id and
    /// value tie-breaks.
    /// </summary>
    public static ReplicaSimulation<LWWRegister<int>> SimulateLWW(ReplicaSchedule schedule)
    {
        var clocks = Enumerable.Range(0, schedule.ReplicaCount).Select(_ => new LamportClock()).ToArray();
        return ReplicaSimulation<LWWRegister<int>>.Run(
            schedule,
            LWWRegister<int>.Empty,
            (x, y) => x.Merge(y),
            (LWWRegister<int> state, int replica, int payload, out LWWRegister<int> delta) =>
                IsExplicitWrite(payload)
                    ? state.Set(ExplicitTimestamp(payload), ExplicitValue(payload), out delta)
                    : state.Set(Replica(replica), payload, clocks[replica], out delta));
    }

    /// <summary>The LWW specification: of the writes seen, the one with the greatest (timestamp, value).</summary>
    public static (LWWTimestamp Timestamp, int Value)? LWWWinner(ReplicaSimulation<LWWRegister<int>> simulation, IEnumerable<int> seen)
    {
        (LWWTimestamp Timestamp, int Value)? winner = null;
        foreach (int i in seen)
        {
            OperationRecord<LWWRegister<int>> op = simulation.Operations[i];
            (LWWTimestamp, int) write = IsExplicitWrite(op.Payload)
                ? (ExplicitTimestamp(op.Payload), ExplicitValue(op.Payload))
                : (op.After.Timestamp, op.Payload); // a clock write always wins where it is made
            if (winner is not { } w || write.Item1 > w.Timestamp || (write.Item1 == w.Timestamp && write.Item2 > w.Value))
            {
                winner = write;
            }
        }

        return winner;
    }

    /// <summary>MV operations: one in five clears, the others write the payload.</summary>
    public static ReplicaSimulation<MVRegister<int>> SimulateMv(ReplicaSchedule schedule) =>
        ReplicaSimulation<MVRegister<int>>.Run(
            schedule,
            MVRegister<int>.Empty,
            (x, y) => x.Merge(y),
            (MVRegister<int> state, int replica, int payload, out MVRegister<int> delta) =>
                IsClear(payload) ? state.Clear(out delta) : state.Set(Replica(replica), payload, out delta));

    /// <summary>
    /// The MV specification, from causality alone: the writes seen that no seen operation (write or clear) had in
    /// its causal past, each with its dot (a replica's n-th write has counter n), in dot order.
    /// </summary>
    public static List<(Dot Dot, int Value)> MVSurvivors(ReplicaSimulation<MVRegister<int>> simulation, IReadOnlySet<int> seen)
    {
        var writesPerReplica = new Dictionary<int, int>();
        var dots = new Dictionary<int, Dot>();
        foreach (OperationRecord<MVRegister<int>> op in simulation.Operations)
        {
            if (!IsClear(op.Payload))
            {
                int n = writesPerReplica.GetValueOrDefault(op.Replica) + 1;
                writesPerReplica[op.Replica] = n;
                dots[op.Index] = new Dot(Replica(op.Replica), n);
            }
        }

        var replaced = new HashSet<int>();
        foreach (int i in seen)
        {
            replaced.UnionWith(simulation.Operations[i].Saw);
        }

        return seen
            .Where(i => !IsClear(simulation.Operations[i].Payload) && !replaced.Contains(i))
            .Select(i => (dots[i], simulation.Operations[i].Payload))
            .OrderBy(e => e.Item1)
            .ToList();
    }

    private static bool IsExplicitWrite(int payload) => payload % 3 == 0;

    private static LWWTimestamp ExplicitTimestamp(int payload) => new(payload / 3 % 8, Replica(payload / 24 % 3));

    private static int ExplicitValue(int payload) => payload / 72 % 4;

    private static bool IsClear(int payload) => payload % 5 == 0;
}
