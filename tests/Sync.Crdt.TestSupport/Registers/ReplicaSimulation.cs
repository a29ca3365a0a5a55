using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace Sync.Crdt.TestSupport.Registers;

/// <summary>Applies one operation (chosen by <paramref name="payload"/>) at replica <paramref name="replica"/>,
/// returning the new state and the mutation's delta.</summary>
public delegate T ReplicaOperation<T>(T state, int replica, int payload, out T delta);

/// <summary>What one operation did: where, with which payload, the states before and after, its delta, and
/// which earlier operations (by index) the replica had seen when it ran (its causal past).</summary>
public sealed record OperationRecord<T>(int Index, int Replica, int Payload, T Before, T After, T Delta, IReadOnlySet<int> Saw);

/// <summary>
/// Runs a <see cref="ReplicaSchedule"/> against any state-based CRDT given as an empty state, a merge function and
/// an operation, and checks convergence and delta equivalence. Independent of the CRDT library (merge is a
/// delegate), so any test project can drive its types with it.
/// </summary>
public sealed class ReplicaSimulation<T>
    where T : class, IEquatable<T>
{
    private readonly Func<T, T, T> _merge;
    private readonly T _empty;

    private ReplicaSimulation(ReplicaSchedule schedule, T empty, Func<T, T, T> merge, List<OperationRecord<T>> operations, T[] finals, HashSet<int>[] finalSeen, List<T> history)
    {
        FinalSeen = finalSeen;
        Schedule = schedule;
        _empty = empty;
        _merge = merge;
        Operations = operations;
        FinalStates = finals;
        History = history;
    }

    public ReplicaSchedule Schedule { get; }

    /// <summary>Every operation, in the order it ran (a causal order).</summary>
    public IReadOnlyList<OperationRecord<T>> Operations { get; }

    /// <summary>Each replica's state after the schedule, before the final exchange.</summary>
    public IReadOnlyList<T> FinalStates { get; }

    /// <summary>For each replica, the operations (by index) its final state has seen.</summary>
    public IReadOnlyList<IReadOnlySet<int>> FinalSeen { get; }

    /// <summary>Every state any replica held, in order.</summary>
    public IReadOnlyList<T> History { get; }

    /// <summary>Runs the schedule: operations at replicas, and merges of a peer's current full state.</summary>
    public static ReplicaSimulation<T> Run(ReplicaSchedule schedule, T empty, Func<T, T, T> merge, ReplicaOperation<T> operation)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(merge);
        ArgumentNullException.ThrowIfNull(operation);
        var states = Enumerable.Repeat(empty, schedule.ReplicaCount).ToArray();
        var seen = Enumerable.Range(0, schedule.ReplicaCount).Select(_ => new HashSet<int>()).ToArray();
        var operations = new List<OperationRecord<T>>();
        var history = new List<T> { empty };
        foreach (ReplicaStep step in schedule.Steps)
        {
            int r = step.Replica;
            if (step.IsOperation)
            {
                T before = states[r];
                T after = operation(before, r, step.Payload, out T delta);
                operations.Add(new OperationRecord<T>(operations.Count, r, step.Payload, before, after, delta, new HashSet<int>(seen[r])));
                seen[r].Add(operations.Count - 1);
                states[r] = after;
            }
            else
            {
                states[r] = merge(states[r], states[step.Peer]);
                seen[r].UnionWith(seen[step.Peer]);
            }

            history.Add(states[r]);
        }

        return new ReplicaSimulation<T>(schedule, empty, merge, operations, states, seen, history);
    }

    /// <summary>
    /// Final anti-entropy: every replica merges every replica's final state, plus stale snapshots from the history
    /// and duplicates, in a random order. Returns the replicas' states afterwards.
    /// </summary>
    public T[] ExchangeAll()
    {
        var random = new Random(Schedule.DeliverySeed);
        var result = new T[FinalStates.Count];
        for (int i = 0; i < FinalStates.Count; i++)
        {
            var deliveries = new List<T>(FinalStates);
            int extra = random.Next(0, 2 * FinalStates.Count + 1);
            for (int k = 0; k < extra; k++)
            {
                deliveries.Add(random.Next(2) == 0 ? FinalStates[random.Next(FinalStates.Count)] : History[random.Next(History.Count)]);
            }

            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(deliveries));
            T state = FinalStates[i];
            foreach (T delivered in deliveries)
            {
                state = _merge(state, delivered);
            }

            result[i] = state;
        }

        return result;
    }

    /// <summary>Asserts that after <see cref="ExchangeAll"/> every replica holds an equal state, and returns it.</summary>
    public T AssertConverges()
    {
        T[] converged = ExchangeAll();
        for (int i = 1; i < converged.Length; i++)
        {
            EqualityAssert.Equal(converged[0], converged[i]);
        }

        return converged[0];
    }

    /// <summary>
    /// Asserts the delta contract: for every operation, <c>before ⊔ delta = after</c>, and for a state X that has seen
    /// the operation's causal past (another replica's final state merged with <c>before</c>), <c>X ⊔ delta = X ⊔ after</c>.
    /// Then a fresh replica that receives only deltas, in causal order with random duplicates, or as random delta
    /// groups, ends equal to the join of all full states.
    /// </summary>
    public void AssertDeltasMatchFullStates()
    {
        T full = _empty;
        foreach (T state in FinalStates)
        {
            full = _merge(full, state);
        }

        foreach (OperationRecord<T> op in Operations)
        {
            EqualityAssert.Equal(op.After, _merge(op.Before, op.Delta));
            T other = _merge(FinalStates[(op.Replica + 1) % FinalStates.Count], op.Before);
            EqualityAssert.Equal(_merge(other, op.After), _merge(other, op.Delta));
        }

        var random = new Random(Schedule.DeliverySeed);
        T viaDeltas = _empty;
        for (int i = 0; i < Operations.Count; i++)
        {
            viaDeltas = _merge(viaDeltas, Operations[i].Delta);
            if (random.Next(3) == 0)
            {
                // A duplicate of a delta already applied (its causal past is in, so it must change nothing).
                T again = _merge(viaDeltas, Operations[random.Next(i + 1)].Delta);
                Assert.Same(viaDeltas, again);
            }
        }

        EqualityAssert.Equal(full, viaDeltas);

        T viaGroups = _empty;
        T group = _empty;
        for (int i = 0; i < Operations.Count; i++)
        {
            group = _merge(group, Operations[i].Delta);
            if (random.Next(3) == 0 || i == Operations.Count - 1)
            {
                viaGroups = _merge(viaGroups, group);
                group = _empty;
            }
        }

        EqualityAssert.Equal(full, viaGroups);
    }

    /// <summary>
    /// Asserts the join laws on three states drawn from the history: commutative, associative, idempotent, and the
    /// same instance returned when one side already includes the other.
    /// </summary>
    public void AssertJoinLaws()
    {
        var random = new Random(Schedule.DeliverySeed ^ 0x5bd1e995);
        T a = History[random.Next(History.Count)];
        T b = History[random.Next(History.Count)];
        T c = History[random.Next(History.Count)];
        LatticeAssert.JoinLaws(a, b, c, _merge);
    }
}
