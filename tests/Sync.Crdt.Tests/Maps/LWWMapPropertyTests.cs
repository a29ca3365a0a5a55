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
}
