using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.Sets;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Sets;

public class ORSetPropertyTests
{
    private static readonly string[] Elements = ["a", "b", "c", "d", "e", "f"];

    [Fact]
    public void Merge_IsCommutativeAssociativeIdempotent() =>
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed =>
        {
            List<ORSet<string>> states = RandomStates(new Random(seed));
            var random = new Random(seed ^ 0x5bd1e995);
            ORSet<string> a = states[random.Next(states.Count)];
            ORSet<string> b = states[random.Next(states.Count)];
            ORSet<string> c = states[random.Next(states.Count)];

            EqualityAssert.Equal(a.Merge(b), b.Merge(a));
            EqualityAssert.Equal(a.Merge(b).Merge(c), a.Merge(b.Merge(c)));
            EqualityAssert.Equal(a, a.Merge(a));
            ORSet<string> ab = a.Merge(b);
            Assert.Same(ab, ab.Merge(a));
            Assert.Same(ab, ab.Merge(b));
            AssertStrategiesAgree(a, b);
        });

    [Fact]
    public void Merge_LargeStatesAndDeltas_AllStrategiesAgree() =>
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed =>
        {
            // Larger states (hundreds of elements, three writers, removes) merged with deltas, delta groups and
            // each other: the point-update path (used for small deltas) must equal the merge-join.
            var random = new Random(seed);
            ReplicaId[] ids = ["r1", "r2", "r3"];
            var replicas = new[] { ORSet<string>.Empty, ORSet<string>.Empty, ORSet<string>.Empty };
            var deltas = new List<ORSet<string>>();
            int steps = random.Next(50, 400);
            for (int i = 0; i < steps; i++)
            {
                int r = random.Next(3);
                string item = "e" + random.Next(150);
                ORSet<string> delta;
                switch (random.Next(8))
                {
                    case < 4:
                        replicas[r] = replicas[r].Add(ids[r], item, out delta);
                        break;
                    case < 6:
                        replicas[r] = replicas[r].Remove(item, out delta);
                        break;
                    case 6:
                        replicas[r] = replicas[r].Clear(out delta);
                        break;
                    default:
                        replicas[r] = replicas[r].Merge(replicas[random.Next(3)]);
                        delta = ORSet<string>.Empty;
                        break;
                }

                deltas.Add(delta);
            }

            ORSet<string> group = ORSet<string>.Empty;
            foreach (ORSet<string> d in deltas.Skip(random.Next(deltas.Count)).Take(random.Next(1, 20)))
            {
                group = group.Merge(d);
            }

            var candidates = new List<ORSet<string>>(replicas) { group, deltas[random.Next(deltas.Count)], deltas[^1] };
            foreach (ORSet<string> x in candidates)
            {
                foreach (ORSet<string> y in candidates)
                {
                    AssertStrategiesAgree(x, y);
                }
            }
        },
        iterations: 60);

    [Fact]
    public void Replicas_RandomOpsAndFullStateExchange_ConvergeToAddWinsSpec() =>
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed => new Scenario(new Random(seed)).Run(checkDeltas: false), iterations: 150);

    [Fact]
    public void Replicas_DeltaShipping_EqualsFullStateShipping() =>
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed => new Scenario(new Random(seed)).Run(checkDeltas: true), iterations: 150);

    [Fact]
    public void Merge_LargeDivergedReplicas_JoinAndPointUpdatesAgree_AndIndexFollowsEntries() =>
        PropertyCheck.ForAll(
            Gen.Choose(0, int.MaxValue),
            seed =>
            {
                // Sets of thousands of elements (many tree leaves) that share an ancestor or were built apart, then
                // diverged by adds, re-adds and removes on both sides: the full join patches the dot index from its
                // change log, which Validate checks against the entries.
                var random = new Random(seed);
                int size = random.Next(200, 3000);
                ORSet<string> Build(ReplicaId replica)
                {
                    ORSet<string>.Builder builder = ORSet<string>.Empty.ToBuilder();
                    for (int i = 0; i < size; i++)
                    {
                        builder.Add(replica, "e" + random.Next(size * 2));
                    }

                    return builder.ToImmutable();
                }

                ORSet<string> ancestor = Build("r0");
                ORSet<string> left = ancestor;
                ORSet<string> right = random.Next(2) == 0 ? ancestor : Build("r0");
                ReplicaId[] ids = ["r1", "r2"];
                for (int i = 0; i < random.Next(size / 5); i++)
                {
                    int side = random.Next(2);
                    ORSet<string> set = side == 0 ? left : right;
                    string item = "e" + random.Next(size * 3);
                    set = random.Next(3) == 0 ? set.Remove(item) : set.Add(ids[side], item);
                    (left, right) = side == 0 ? (set, right) : (left, set);
                }

                AssertStrategiesAgree(left, right);
                AssertStrategiesAgree(right, left);
            },
            iterations: 40);

    private static void AssertStrategiesAgree(ORSet<string> a, ORSet<string> b)
    {
        ORSet<string> joined = a.MergeUsing(b, Sync.Crdt.Collections.MergeStrategy.Join);
        ORSet<string> pointwise = a.MergeUsing(b, Sync.Crdt.Collections.MergeStrategy.PointUpdates);
        joined.Validate();
        pointwise.Validate();
        EqualityAssert.Equal(joined, pointwise);
        EqualityAssert.Equal(joined, a.Merge(b));
        Assert.Equal(ReferenceEquals(joined, a), ReferenceEquals(pointwise, a));
    }

    /// <summary>States reachable by random operations and merges on three replicas, plus some deltas.</summary>
    private static List<ORSet<string>> RandomStates(Random random)
    {
        ReplicaId[] ids = ["r1", "r2", "r3"];
        var replicas = new[] { ORSet<string>.Empty, ORSet<string>.Empty, ORSet<string>.Empty };
        var states = new List<ORSet<string>> { ORSet<string>.Empty };
        int steps = random.Next(1, 30);
        for (int i = 0; i < steps; i++)
        {
            int r = random.Next(3);
            string item = Elements[random.Next(Elements.Length)];
            ORSet<string> delta;
            switch (random.Next(4))
            {
                case 0:
                case 1:
                    replicas[r] = replicas[r].Add(ids[r], item, out delta);
                    break;
                case 2:
                    replicas[r] = replicas[r].Remove(item, out delta);
                    break;
                default:
                    replicas[r] = replicas[r].Merge(replicas[random.Next(3)]);
                    delta = ORSet<string>.Empty;
                    break;
            }

            states.Add(replicas[r]);
            states.Add(delta);
        }

        return states;
    }

    /// <summary>
    /// N replicas apply random adds, removes and pairwise syncs, side by side with a naive tombstone OR-Set (the
    /// sequential specification: an element is present iff some add of it was not observed by a remove) and, when
    /// asked, with a world that ships only deltas, in shuffled order.
    /// </summary>
    private sealed class Scenario
    {
        private readonly Random _random;
        private readonly int _n;
        private readonly ReplicaId[] _ids;
        private readonly ORSet<string>[] _full;
        private readonly ORSet<string>[] _delta;
        private readonly List<ORSet<string>>[] _knownDeltas;
        private readonly NaiveORSet[] _naive;

        public Scenario(Random random)
        {
            _random = random;
            _n = random.Next(2, 6);
            _ids = Enumerable.Range(0, _n).Select(i => new ReplicaId("replica-" + i)).ToArray();
            _full = Enumerable.Repeat(ORSet<string>.Empty, _n).ToArray();
            _delta = Enumerable.Repeat(ORSet<string>.Empty, _n).ToArray();
            _knownDeltas = Enumerable.Range(0, _n).Select(_ => new List<ORSet<string>>()).ToArray();
            _naive = Enumerable.Range(0, _n).Select(_ => new NaiveORSet()).ToArray();
        }

        public void Run(bool checkDeltas)
        {
            int steps = _random.Next(5, 60);
            for (int step = 0; step < steps; step++)
            {
                int r = _random.Next(_n);
                string item = Elements[_random.Next(Elements.Length)];
                int action = _random.Next(10);
                if (action < 4)
                {
                    _full[r] = _full[r].Add(_ids[r], item, out ORSet<string> delta);
                    _naive[r].Add(item, _ids[r]);
                    Record(r, delta, checkDeltas, d => (d.Add(_ids[r], item, out ORSet<string> dd), dd));
                }
                else if (action < 7)
                {
                    _full[r] = _full[r].Remove(item, out ORSet<string> delta);
                    _naive[r].Remove(item);
                    Record(r, delta, checkDeltas, d => (d.Remove(item, out ORSet<string> dd), dd));
                }
                else
                {
                    int from = _random.Next(_n);
                    _full[r] = _full[r].Merge(_full[from]);
                    _naive[r].MergeFrom(_naive[from]);
                    if (checkDeltas)
                    {
                        ShipDeltas(from, r);
                    }
                }

                Assert.Equal(_naive[r].Elements(), _full[r].ToArray());
                _full[r].Validate();
                if (checkDeltas)
                {
                    EqualityAssert.Equal(_full[r], _delta[r]);
                }
            }

            // Final exchange: every replica merges every state, in its own random order, with duplicates.
            ORSet<string>[] snapshot = (ORSet<string>[])_full.Clone();
            var union = new NaiveORSet();
            foreach (NaiveORSet naive in _naive)
            {
                union.MergeFrom(naive);
            }

            for (int i = 0; i < _n; i++)
            {
                foreach (int j in ShuffledWithDuplicates(_n))
                {
                    _full[i] = _full[i].Merge(snapshot[j]);
                }
            }

            for (int i = 0; i < _n; i++)
            {
                EqualityAssert.Equal(_full[0], _full[i]);
            }

            Assert.Equal(union.Elements(), _full[0].ToArray());

            if (checkDeltas)
            {
                // Every delta of every replica, in any order, duplicated, gives the same state as full-state shipping.
                List<ORSet<string>> all = _knownDeltas.SelectMany(d => d).ToList();
                for (int i = 0; i < _n; i++)
                {
                    ORSet<string> state = _delta[i];
                    foreach (int k in ShuffledWithDuplicates(all.Count))
                    {
                        state = state.Merge(all[k]);
                    }

                    EqualityAssert.Equal(_full[0], state);
                }
            }
        }

        private void Record(int r, ORSet<string> delta, bool checkDeltas, Func<ORSet<string>, (ORSet<string> Next, ORSet<string> Delta)> op)
        {
            // Delta is a valid state: merging it into the pre-state gives the post-state.
            if (!checkDeltas)
            {
                return;
            }

            (ORSet<string> next, ORSet<string> d) = op(_delta[r]);
            EqualityAssert.Equal(delta, d);
            _delta[r] = next;
            _knownDeltas[r].Add(d);
        }

        private void ShipDeltas(int from, int to)
        {
            // Ship everything "from" knows, shuffled and duplicated: no causal order.
            List<ORSet<string>> shipped = _knownDeltas[from];
            foreach (int k in ShuffledWithDuplicates(shipped.Count))
            {
                _delta[to] = _delta[to].Merge(shipped[k]);
            }

            var known = new HashSet<ORSet<string>>(_knownDeltas[to], ReferenceEqualityComparer.Instance);
            foreach (ORSet<string> d in shipped)
            {
                if (known.Add(d))
                {
                    _knownDeltas[to].Add(d);
                }
            }
        }

        private IEnumerable<int> ShuffledWithDuplicates(int count)
        {
            var order = Enumerable.Range(0, count).ToList();
            for (int i = 0; i < count / 2 + 1 && count > 0; i++)
            {
                order.Add(_random.Next(count));
            }

            _random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(order));
            return order;
        }
    }

    /// <summary>The textbook OR-Set with tombstones: adds carry unique tags, a remove tombstones the tags it observed.</summary>
    private sealed class NaiveORSet
    {
        private static int s_nextTag;
        private readonly HashSet<(string Item, int Tag)> _adds = [];
        private readonly HashSet<int> _removed = [];

        public void Add(string item, ReplicaId replica)
        {
            _ = replica;
            _adds.Add((item, System.Threading.Interlocked.Increment(ref s_nextTag)));
        }

        public void Remove(string item)
        {
            foreach ((string i, int tag) in _adds)
            {
                if (i == item)
                {
                    _removed.Add(tag);
                }
            }
        }

        public void MergeFrom(NaiveORSet other)
        {
            _adds.UnionWith(other._adds);
            _removed.UnionWith(other._removed);
        }

        public string[] Elements() =>
            _adds.Where(a => !_removed.Contains(a.Tag)).Select(a => a.Item).Distinct().Order(StringComparer.Ordinal).ToArray();
    }
}
