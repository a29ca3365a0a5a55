using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;

namespace Sync.Crdt.TestSupport.Registers;

/// <summary>One step of a replica schedule: replica <see cref="Replica"/> either performs an operation
/// (<see cref="Payload"/> picks which, with what argument) or merges in the current state of <see cref="Peer"/>.</summary>
public sealed record ReplicaStep(bool IsOperation, int Replica, int Peer, int Payload)
{
    public override string ToString() => IsOperation
        ? string.Create(CultureInfo.InvariantCulture, $"op(r{Replica}, {Payload})")
        : string.Create(CultureInfo.InvariantCulture, $"r{Replica} <- r{Peer}");
}

/// <summary>
/// A random history for 2–5 replicas: operations and state exchanges in some order, plus a seed that drives the
/// final anti-entropy (random delivery order, duplicates, stale snapshots). Printed in full when a property fails.
/// </summary>
public sealed record ReplicaSchedule(int ReplicaCount, IReadOnlyList<ReplicaStep> Steps, int DeliverySeed)
{
    /// <summary>Schedules with 2–5 replicas and up to <paramref name="maxSteps"/> steps, about two thirds operations.</summary>
    public static Gen<ReplicaSchedule> Generate(int maxSteps = 30) =>
        from replicas in Gen.Choose(2, 5)
        from length in Gen.Choose(0, maxSteps)
        from steps in Gen.ArrayOf(Step(replicas), length)
        from seed in Gen.Choose(int.MinValue, int.MaxValue)
        select new ReplicaSchedule(replicas, steps, seed);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{ReplicaCount} replicas, delivery seed {DeliverySeed}: [{string.Join(", ", Steps)}]");

    private static Gen<ReplicaStep> Step(int replicas) =>
        from isOperation in Gen.Frequency((2, Gen.Constant(true)), (1, Gen.Constant(false)))
        from replica in Gen.Choose(0, replicas - 1)
        from peer in Gen.Choose(0, replicas - 1)
        from payload in Gen.Choose(0, 1_000_000)
        select new ReplicaStep(isOperation, replica, peer, payload);
}
