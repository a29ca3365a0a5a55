using System;
using System.Collections.Generic;
using System.Globalization;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.TestSupport.Registers;

namespace Sync.Crdt.Tests.Counters;

/// <summary>Random counter operations for <see cref="ReplicaSimulation{T}"/>, and the sequential specification (a sum).</summary>
internal static class CounterOperations
{
    public static ReplicaId Replica(int index) => new("r" + index.ToString(CultureInfo.InvariantCulture));

    /// <summary>The amount an operation adds or subtracts: 0 now and then (a no-op), otherwise 1..1000.</summary>
    public static long Amount(int payload) => payload % 11 == 0 ? 0 : 1 + (payload / 11 % 1000);

    /// <summary>PN-counter operations decrement when the payload is odd.</summary>
    public static bool IsDecrement(int payload) => payload % 2 == 1;

    public static GCounter Increment(GCounter state, int replica, int payload, out GCounter delta) =>
        state.Increment(Replica(replica), Amount(payload), out delta);

    public static PNCounter Apply(PNCounter state, int replica, int payload, out PNCounter delta) =>
        IsDecrement(payload)
            ? state.Decrement(Replica(replica), Amount(payload), out delta)
            : state.Increment(Replica(replica), Amount(payload), out delta);

    /// <summary>The specification: the sum of the amounts of the given operations (increments only).</summary>
    public static long SumOfIncrements<T>(ReplicaSimulation<T> simulation, IEnumerable<int> operations)
        where T : class, IEquatable<T>
    {
        long sum = 0;
        foreach (int i in operations)
        {
            sum += Amount(simulation.Operations[i].Payload);
        }

        return sum;
    }

    /// <summary>The specification: increments minus decrements of the given operations.</summary>
    public static long SignedSum(ReplicaSimulation<PNCounter> simulation, IEnumerable<int> operations)
    {
        long sum = 0;
        foreach (int i in operations)
        {
            int payload = simulation.Operations[i].Payload;
            sum += IsDecrement(payload) ? -Amount(payload) : Amount(payload);
        }

        return sum;
    }
}
