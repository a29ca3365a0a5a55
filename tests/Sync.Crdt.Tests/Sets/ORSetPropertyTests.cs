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
}
