using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;
using Sync.Crdt.Counters;
using Sync.Crdt.Maps;
using Sync.Crdt.Sets;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Maps;

public class ORMapPropertyTests
{
    private static readonly string[] Keys = ["a", "b", "c", "d"];

    [Fact]
    public void Merge_IsCommutativeAssociativeIdempotent_WithEmptyAsIdentity() =>
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed =>
        {
            var random = new Random(seed);
            List<ORMap<string, ORSet<string>>> states = RandomSetMaps(random);
            ORMap<string, ORSet<string>> a = states[random.Next(states.Count)];
            ORMap<string, ORSet<string>> b = states[random.Next(states.Count)];
            ORMap<string, ORSet<string>> c = states[random.Next(states.Count)];

            EqualityAssert.Equal(a.Merge(b), b.Merge(a));
            EqualityAssert.Equal(a.Merge(b).Merge(c), a.Merge(b.Merge(c)));
            Assert.Same(a, a.Merge(a));
            EqualityAssert.Equal(a, a.Merge(ORMap<string, ORSet<string>>.Empty));
            EqualityAssert.Equal(a, ORMap<string, ORSet<string>>.Empty.Merge(a));
            ORMap<string, ORSet<string>> ab = a.Merge(b);
            Assert.Same(ab, ab.Merge(a));
            Assert.Same(ab, ab.Merge(b));
            AssertStrategiesAgree(a, b);
            ab.Validate();
        });

    [Fact]
    public void Replicas_RandomOpsAndFullStateExchange_MatchTheSequentialModel() =>
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed => new Scenario(new Random(seed)).Run(checkDeltas: false), iterations: 150);

    [Fact]
    public void Replicas_DeltaShipping_InRandomOrderWithDuplicates_EqualsFullStateShipping() =>
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed => new Scenario(new Random(seed)).Run(checkDeltas: true), iterations: 150);

    [Fact]
    public void Merge_LargeDivergedReplicas_JoinAndPointUpdatesAgree_AndIndexFollowsEntries() =>
        PropertyCheck.ForAll(
            Gen.Choose(0, int.MaxValue),
            seed =>
            {
                // Maps of thousands of keys (many tree leaves) sharing an ancestor, then diverged on both sides.
                var random = new Random(seed);
                int size = random.Next(200, 2000);
                ORMap<int, GCounter> ancestor = ORMap<int, GCounter>.Empty;
                for (int i = 0; i < size; i++)
                {
                    ancestor = ancestor.Update("r0", random.Next(size * 2), Increment(1));
                }

                ORMap<int, GCounter> left = ancestor;
                ORMap<int, GCounter> right = ancestor;
                var deltas = new List<ORMap<int, GCounter>>();
                for (int i = 0; i < random.Next(1, 100); i++)
                {
                    int key = random.Next(size * 2);
                    ORMap<int, GCounter> delta;
                    if (random.Next(3) == 0)
                    {
                        left = left.Remove(key, out delta);
                    }
                    else
                    {
                        left = left.Update("r1", key, Increment(2), out delta);
                    }

                    deltas.Add(delta);
                    right = random.Next(3) == 0 ? right.Remove(random.Next(size * 2)) : right.Update("r2", random.Next(size * 2), Increment(3));
                }

                AssertStrategiesAgree(left, right);
                ORMap<int, GCounter> merged = left.Merge(right);
                merged.Validate();
                ORMap<int, GCounter> viaDeltas = ancestor;
                foreach (ORMap<int, GCounter> delta in deltas)
                {
                    viaDeltas = viaDeltas.Merge(delta);
                }

                EqualityAssert.Equal(left, viaDeltas);
                viaDeltas.Validate();
            },
            iterations: 40);

    internal static DeltaMutator<GCounter> Increment(long amount) => (GCounter c, ReplicaId r, out GCounter d) => c.Increment(r, amount, out d);

    private static DeltaMutator<ORSet<string>> AddElement(string element) => (ORSet<string> s, ReplicaId r, out ORSet<string> d) => s.Add(r, element, out d);

    private static DeltaMutator<ORSet<string>> RemoveElement(string element) => (ORSet<string> s, ReplicaId r, out ORSet<string> d) => s.Remove(element, out d);

    private static void AssertStrategiesAgree<TKey, TValue>(ORMap<TKey, TValue> a, ORMap<TKey, TValue> b)
        where TKey : notnull
        where TValue : class, ICrdt<TValue>
    {
        ORMap<TKey, TValue> auto = a.Merge(b);
        ORMap<TKey, TValue> join = a.MergeUsing(b, MergeStrategy.Join);
        ORMap<TKey, TValue> point = a.MergeUsing(b, MergeStrategy.PointUpdates);
        EqualityAssert.Equal(auto, join);
        EqualityAssert.Equal(auto, point);
        join.Validate();
        point.Validate();
    }

    private static List<ORMap<string, ORSet<string>>> RandomSetMaps(Random random)
    {
        ReplicaId[] ids = ["r1", "r2", "r3"];
        var replicas = new[] { ORMap<string, ORSet<string>>.Empty, ORMap<string, ORSet<string>>.Empty, ORMap<string, ORSet<string>>.Empty };
        var states = new List<ORMap<string, ORSet<string>>> { ORMap<string, ORSet<string>>.Empty };
        int steps = random.Next(1, 30);
        for (int i = 0; i < steps; i++)
        {
            int r = random.Next(3);
            string key = Keys[random.Next(Keys.Length)];
            replicas[r] = random.Next(10) switch
            {
                < 4 => replicas[r].Update(ids[r], key, AddElement("x" + random.Next(4)), out ORMap<string, ORSet<string>> delta1).Also(states, delta1),
                < 6 => replicas[r].Update(ids[r], key, RemoveElement("x" + random.Next(4)), out ORMap<string, ORSet<string>> delta2).Also(states, delta2),
                < 8 => replicas[r].Remove(key, out ORMap<string, ORSet<string>> delta3).Also(states, delta3),
                8 => replicas[r].Clear(),
                _ => replicas[r].Merge(replicas[random.Next(3)]),
            };
            states.Add(replicas[r]);
        }

        return states;
    }

    /// <summary>Random updates, removes, clears and full-state syncs on 2–4 replicas, checked against <see cref="ORMapModel"/>.</summary>
    private sealed class Scenario(Random random)
    {
        public void Run(bool checkDeltas)
        {
            int n = random.Next(2, 5);
            var ids = Enumerable.Range(0, n).Select(i => new ReplicaId("r" + i)).ToArray();
            var states = Enumerable.Repeat(ORMap<string, GCounter>.Empty, n).ToArray();
            var views = Enumerable.Range(0, n).Select(_ => new HashSet<int>()).ToArray();
            var model = new ORMapModel();
            var deltas = new List<ORMap<string, GCounter>>();
            int steps = random.Next(5, 60);
            for (int step = 0; step < steps; step++)
            {
                int r = random.Next(n);
                string key = Keys[random.Next(Keys.Length)];
                ORMap<string, GCounter> delta = ORMap<string, GCounter>.Empty;
                switch (random.Next(10))
                {
                    case < 4:
                        long amount = random.Next(1, 5);
                        states[r] = states[r].Update(ids[r], key, Increment(amount), out delta);
                        model.Update(ids[r], views[r], key, amount);
                        break;
                    case < 6:
                        states[r] = states[r].Remove(key, out delta);
                        model.Remove(views[r], key);
                        break;
                    case 6:
                        states[r] = states[r].Clear(out delta);
                        model.Remove(views[r], null);
                        break;
                    default:
                        int from = random.Next(n);
                        states[r] = states[r].Merge(states[from]);
                        views[r].UnionWith(views[from]);
                        break;
                }

                deltas.Add(delta);
                AssertMatchesModel(states[r], model.Visible(views[r], Keys));
            }

            ORMap<string, GCounter> all = states.Aggregate((x, y) => x.Merge(y));
            var allView = new HashSet<int>(views.SelectMany(v => v));
            AssertMatchesModel(all, model.Visible(allView, Keys));
            all.Validate();
            if (checkDeltas)
            {
                // Every delta, shuffled and partly duplicated, never in causal order on purpose, from the empty state.
                var shuffled = deltas.Concat(deltas.Where(_ => random.Next(3) == 0)).OrderBy(_ => random.Next()).ToList();
                ORMap<string, GCounter> viaDeltas = ORMap<string, GCounter>.Empty;
                foreach (ORMap<string, GCounter> delta in shuffled)
                {
                    viaDeltas = viaDeltas.Merge(delta);
                }

                EqualityAssert.Equal(all, viaDeltas);
                viaDeltas.Validate();

                // And as delta groups joined among themselves first.
                ORMap<string, GCounter> left = shuffled.Take(shuffled.Count / 2).Aggregate(ORMap<string, GCounter>.Empty, (x, y) => x.Merge(y));
                ORMap<string, GCounter> right = shuffled.Skip(shuffled.Count / 2).Aggregate(ORMap<string, GCounter>.Empty, (x, y) => x.Merge(y));
                EqualityAssert.Equal(all, right.Merge(left));
            }
        }

        private static void AssertMatchesModel(ORMap<string, GCounter> state, SortedDictionary<string, GCounter> expected)
        {
            Assert.Equal(expected.Keys, state.Keys);
            foreach (KeyValuePair<string, GCounter> entry in expected)
            {
                EqualityAssert.Equal(entry.Value, state[entry.Key]);
            }
        }
    }
}

/// <summary>Small helpers for building test histories.</summary>
internal static class ORMapTestExtensions
{
    /// <summary>Adds <paramref name="delta"/> to <paramref name="states"/> and returns <paramref name="value"/>.</summary>
    public static T Also<T>(this T value, List<T> states, T delta)
    {
        states.Add(delta);
        return value;
    }
}
