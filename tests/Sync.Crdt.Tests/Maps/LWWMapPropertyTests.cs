using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.Maps;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Maps;

public class LWWMapPropertyTests
{
    private static readonly string[] Keys = ["a", "b", "c", "d", "e"];

    [Fact]
    public void Merge_IsCommutativeAssociativeIdempotent() =>
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed =>
        {
            var scenario = new Scenario(new Random(seed));
            scenario.Run(checkDeltas: false, finalExchange: false);
            List<LWWMap<string, int>> states = scenario.Seen;
            var random = new Random(~seed);
            LWWMap<string, int> a = states[random.Next(states.Count)];
            LWWMap<string, int> b = states[random.Next(states.Count)];
            LWWMap<string, int> c = states[random.Next(states.Count)];

            EqualityAssert.Equal(a.Merge(b), b.Merge(a));
            EqualityAssert.Equal(a.Merge(b).Merge(c), a.Merge(b.Merge(c)));
            EqualityAssert.Equal(a, a.Merge(a));
            LWWMap<string, int> ab = a.Merge(b);
            Assert.Same(ab, ab.Merge(a));
            Assert.Same(ab, ab.Merge(b));
            Assert.Equal(ab.Count, ab.Count());
            AssertStrategiesAgree(a, b);
        });

    [Fact]
    public void Merge_LargeMapsAndDeltas_AllStrategiesAgree() =>
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed =>
        {
            var random = new Random(seed);
            ReplicaId[] ids = ["r1", "r2", "r3"];
            var replicas = new[] { LWWMap<string, int>.Empty, LWWMap<string, int>.Empty, LWWMap<string, int>.Empty };
            var deltas = new List<LWWMap<string, int>> { LWWMap<string, int>.Empty };
            int steps = random.Next(50, 400);
            for (int i = 0; i < steps; i++)
            {
                int r = random.Next(3);
                string key = "k" + random.Next(150);
                var timestamp = new LWWTimestamp(random.Next(1, 40), ids[r]);
                LWWMap<string, int> delta;
                switch (random.Next(6))
                {
                    case < 3:
                        // Values derive from the timestamp, so one timestamp always names one write.
                        replicas[r] = replicas[r].Put(timestamp, key, (int)timestamp.Time * 7, out delta);
                        break;
                    case < 5:
                        replicas[r] = replicas[r].Remove(timestamp, key, out delta);
                        break;
                    default:
                        replicas[r] = replicas[r].Merge(replicas[random.Next(3)]);
                        delta = LWWMap<string, int>.Empty;
                        break;
                }

                deltas.Add(delta);
            }

            var candidates = new List<LWWMap<string, int>>(replicas) { deltas[random.Next(deltas.Count)], deltas[^1] };
            foreach (LWWMap<string, int> x in candidates)
            {
                foreach (LWWMap<string, int> y in candidates)
                {
                    AssertStrategiesAgree(x, y);
                }
            }
        },
        iterations: 60);

    private static void AssertStrategiesAgree(LWWMap<string, int> a, LWWMap<string, int> b)
    {
        LWWMap<string, int> joined = a.MergeUsing(b, Sync.Crdt.Collections.MergeStrategy.Join);
        LWWMap<string, int> pointwise = a.MergeUsing(b, Sync.Crdt.Collections.MergeStrategy.PointUpdates);
        EqualityAssert.Equal(joined, pointwise);
        EqualityAssert.Equal(joined, a.Merge(b));
        Assert.Equal(joined.Count, pointwise.Count);
        Assert.Equal(joined.Count, joined.Count());
        Assert.Equal(ReferenceEquals(joined, a), ReferenceEquals(pointwise, a));
    }

    [Fact]
    public void Replicas_RandomOpsAndFullStateExchange_ConvergeToPerKeyLatestWrite() =>
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed => new Scenario(new Random(seed)).Run(checkDeltas: false, finalExchange: true), iterations: 150);

    [Fact]
    public void Replicas_DeltaShipping_EqualsFullStateShipping() =>
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed => new Scenario(new Random(seed)).Run(checkDeltas: true, finalExchange: true), iterations: 150);

    /// <summary>
    /// N replicas put and delete with Lamport-style times (so times collide across replicas and replica ids break
    /// ties), sync pairwise, and finally exchange everything. The specification: per key, among the writes that took
    /// effect where they were made, the one with the greatest timestamp (deletes beating puts at equal timestamps).
    /// </summary>
    private sealed class Scenario
    {
        private readonly Random _random;
        private readonly int _n;
        private readonly ReplicaId[] _ids;
        private readonly LamportClock[] _clocks;
        private readonly LWWMap<string, int>[] _full;
        private readonly LWWMap<string, int>[] _delta;
        private readonly List<LWWMap<string, int>> _allDeltas = [];
        private readonly List<(string Key, LWWTimestamp Timestamp, bool Deleted, int Value)> _writes = [];

        public Scenario(Random random)
        {
            _random = random;
            _n = random.Next(2, 6);
            _ids = Enumerable.Range(0, _n).Select(i => new ReplicaId("replica-" + i)).ToArray();
            _clocks = Enumerable.Range(0, _n).Select(_ => new LamportClock()).ToArray();
            _full = Enumerable.Repeat(LWWMap<string, int>.Empty, _n).ToArray();
            _delta = Enumerable.Repeat(LWWMap<string, int>.Empty, _n).ToArray();
        }

        public List<LWWMap<string, int>> Seen { get; } = [LWWMap<string, int>.Empty];

        public void Run(bool checkDeltas, bool finalExchange)
        {
            int steps = _random.Next(5, 60);
            for (int step = 0; step < steps; step++)
            {
                int r = _random.Next(_n);
                string key = Keys[_random.Next(Keys.Length)];
                int action = _random.Next(10);
                LWWMap<string, int> before = _full[r];
                if (action < 5)
                {
                    int value = _random.Next(100);
                    _full[r] = before.Put(_ids[r], key, value, _clocks[r], out LWWMap<string, int> delta);
                    Apply(r, before, delta, key, deleted: false, value);
                }
                else if (action < 8)
                {
                    _full[r] = before.Remove(_ids[r], key, _clocks[r], out LWWMap<string, int> delta);
                    Apply(r, before, delta, key, deleted: true, 0);
                }
                else
                {
                    int from = _random.Next(_n);
                    foreach (KeyValuePair<string, int> unused in _full[from])
                    {
                        // Clocks observe what they merge, as a replicator would.
                        _full[from].TryGetEntry(unused.Key, out LWWMapEntry<string, int> entry);
                        _clocks[r].Observe(entry.Timestamp.Time);
                    }

                    _full[r] = _full[r].Merge(_full[from]);
                    if (checkDeltas)
                    {
                        _delta[r] = _delta[r].Merge(_full[from]);
                    }
                }

                Seen.Add(_full[r]);
                if (checkDeltas)
                {
                    EqualityAssert.Equal(_full[r], _delta[r]);
                }
            }

            if (!finalExchange)
            {
                return;
            }

            LWWMap<string, int>[] snapshot = (LWWMap<string, int>[])_full.Clone();
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

            Assert.Equal(Specification(), _full[0].ToArray());
            Assert.Equal(_full[0].Count, _full[0].Count());

            if (checkDeltas)
            {
                // Only the deltas, in any order and duplicated, into a fresh replica: the same state.
                LWWMap<string, int> state = LWWMap<string, int>.Empty;
                foreach (int k in ShuffledWithDuplicates(_allDeltas.Count))
                {
                    state = state.Merge(_allDeltas[k]);
                }

                EqualityAssert.Equal(_full[0], state);
            }
        }

        private void Apply(int r, LWWMap<string, int> before, LWWMap<string, int> delta, string key, bool deleted, int value)
        {
            if (ReferenceEquals(before, _full[r]))
            {
                Assert.True(delta.IsEmpty && delta.TombstoneCount == 0);
                return;
            }

            Assert.True(_full[r].TryGetEntry(key, out LWWMapEntry<string, int> entry));
            Assert.Equal(deleted, entry.IsDeleted);
            LWWTimestamp ts = entry.Timestamp;
            _writes.Add((key, ts, deleted, value));
            _allDeltas.Add(delta);
            Seen.Add(delta);
            EqualityAssert.Equal(_full[r], before.Merge(delta));
            _delta[r] = _delta[r].Merge(delta);
        }

        private KeyValuePair<string, int>[] Specification() =>
            _writes
                .GroupBy(w => w.Key)
                .Select(g => g.OrderByDescending(w => w.Timestamp).ThenByDescending(w => w.Deleted).First())
                .Where(w => !w.Deleted)
                .OrderBy(w => w.Key, StringComparer.Ordinal)
                .Select(w => new KeyValuePair<string, int>(w.Key, w.Value))
                .ToArray();

        private List<int> ShuffledWithDuplicates(int count)
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
}
