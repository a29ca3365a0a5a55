using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Pruning;

namespace Sync.Crdt.Tests.Pruning;

/// <summary>
/// Two worlds run the same random schedule of operations and lossy, duplicating, reordering delta deliveries among
/// replicas r0..r3: one never prunes, the other prunes r3 into r0 once r3 has stopped and every replica merged its last
/// state (as the replicator's protocol ensures): r0 prunes, every other replica cleans up its state and merges r0's
/// pruned state (the replicator ships them in one event), and every delta still in flight (stale, from before the prune)
/// is cleaned up on receipt. After every step each replica's observable value must be the same in both worlds; at the
/// end the pruned world has converged and holds nothing of r3.
/// </summary>
internal sealed class PruningWorlds<T>
    where T : class, ICrdt<T>, IReplicaPrunable<T>
{
    private const int Replicas = 4;
    private static readonly ReplicaId Removed = "r3";
    private static readonly ReplicaId Owner = "r0";

    private readonly Func<Random, T, ReplicaId, (T State, T Delta)> _operate;
    private readonly Func<T, object> _observe;

    public PruningWorlds(Func<Random, T, ReplicaId, (T State, T Delta)> operate, Func<T, object> observe)
    {
        _operate = operate;
        _observe = observe;
    }

    public static ReplicaId Name(int index) => "r" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Runs one schedule; returns the final pruned states.</summary>
    public T[] Run(int seed, int steps = 120)
    {
        var random = new Random(seed);
        var plain = new T[Replicas];
        var pruned = new T[Replicas];
        Array.Fill(plain, T.Empty);
        Array.Fill(pruned, T.Empty);
        var inFlight = new List<(int To, T Plain, T Pruned)>();
        int stopAt = random.Next(steps / 4, steps / 2);
        ReplicaPruning? plan = null;
        for (int step = 0; step < steps; step++)
        {
            if (step == stopAt)
            {
                // r3 stops; every replica merges its last state (what the replicator waits for), then r0 prunes.
                for (int i = 0; i < Replicas - 1; i++)
                {
                    plain[i] = plain[i].Merge(plain[3]);
                    pruned[i] = pruned[i].Merge(pruned[3]);
                }

                plan = pruned[0].PlanPruning(Removed, Owner);
                if (plan is not null)
                {
                    pruned[0] = pruned[0].PruneReplica(plan);
                    for (int i = 1; i < Replicas - 1; i++)
                    {
                        pruned[i] = pruned[i].CleanUpPrunedReplica(plan).Merge(pruned[0]);
                        plain[i] = plain[i].Merge(plain[0]);
                    }
                }

                Compare(plain, pruned, Replicas - 1, "after the prune at step " + step);
                continue;
            }

            int live = plan is null && step < stopAt ? Replicas : Replicas - 1;
            int action = random.Next(10);
            if (action < 5)
            {
                int at = random.Next(live);
                int opSeed = random.Next();
                (T state, T delta) a = _operate(new Random(opSeed), plain[at], Name(at));
                (T state, T delta) b = _operate(new Random(opSeed), pruned[at], Name(at));
                plain[at] = a.state;
                pruned[at] = b.state;
                for (int to = 0; to < live; to++)
                {
                    if (to != at && random.Next(4) != 0)
                    {
                        inFlight.Add((to, a.delta, b.delta));
                    }
                }
            }
            else if (inFlight.Count > 0)
            {
                int pick = random.Next(inFlight.Count);
                (int to, T deltaPlain, T deltaPruned) = inFlight[pick];
                if (random.Next(4) != 0)
                {
                    inFlight.RemoveAt(pick); // else: delivered and kept (a duplicate later)
                }

                if (to < live)
                {
                    plain[to] = plain[to].Merge(deltaPlain);
                    pruned[to] = pruned[to].Merge(plan is null ? deltaPruned : deltaPruned.CleanUpPrunedReplica(plan));
                }
            }

            Compare(plain, pruned, live, "at step " + step);
        }

        // Heal: full states, cleaned on receipt, until everyone holds the join.
        for (int round = 0; round < 2; round++)
        {
            for (int from = 0; from < Replicas - 1; from++)
            {
                for (int to = 0; to < Replicas - 1; to++)
                {
                    plain[to] = plain[to].Merge(plain[from]);
                    pruned[to] = pruned[to].Merge(plan is null ? pruned[from] : pruned[from].CleanUpPrunedReplica(plan));
                }
            }
        }

        Compare(plain, pruned, Replicas - 1, "after healing");
        for (int i = 1; i < Replicas - 1; i++)
        {
            Assert.Equal(pruned[0], pruned[i]);
        }

        return pruned[..(Replicas - 1)];
    }

    private void Compare(T[] plain, T[] pruned, int live, string when)
    {
        for (int i = 0; i < live; i++)
        {
            object expected = _observe(plain[i]);
            object actual = _observe(pruned[i]);
            Assert.True(Equals(expected, actual), $"r{i} {when}: without pruning {expected}, with pruning {actual}; state {pruned[i]}");
        }
    }
}
