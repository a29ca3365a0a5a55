using System;
using System.Collections.Generic;
using System.Globalization;
using Sync.Crdt.Causality;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Tests.Sets;

/// <summary>
/// The builder's ascending-run path (bulk load from sorted input) gives exactly the set, dot index and delta group
/// that the same operations give through the immutable set, whatever reads and other operations interleave.
/// </summary>
public class ORSetBuilderBulkTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void RandomBatches_MatchTheImmutableOperations(int seed)
    {
        var random = new Random(seed);
        ORSet<string> start = ORSet<string>.Empty;
        for (int i = 0; i < random.Next(0, 200); i++)
        {
            string item = Item(random.Next(0, 5_000));
            start = random.Next(4) == 0 ? start.Remove(item) : start.Add("r" + random.Next(3).ToString(CultureInfo.InvariantCulture), item);
        }

        if (seed % 2 == 0)
        {
            // A context with a dot cloud (a gap), so runs start after cloud dots, not after the vector.
            var far = new Dot("r1", 10_000);
            start = start.Merge(ORSet<string>.Create([new(far, "a-cloud")], CausalContext.Create(VersionVector.Empty, [far])));
            Assert.False(start.Context.IsCompact);
        }

        int replicas = seed == 5 ? 12 : 3; // more replicas than the run scans linearly
        ORSet<string>.Builder builder = start.ToBuilder();
        ORSet<string> expected = start;
        ORSet<string> expectedDelta = ORSet<string>.Empty;
        int next = 5_000;
        for (int step = 0; step < 3_000; step++)
        {
            int action = random.Next(100);
            ReplicaId replica = "r" + random.Next(replicas).ToString(CultureInfo.InvariantCulture);
            if (action < 70)
            {
                // Ascending adds of new elements: the run path.
                next += random.Next(1, 3);
                string item = Item(next);
                Assert.True(builder.Add(replica, item));
                expected = expected.Add(replica, item, out ORSet<string> delta);
                expectedDelta = expectedDelta.Merge(delta);
            }
            else if (action < 78)
            {
                // An add anywhere (a re-add of a present element replaces its dots).
                string item = Item(random.Next(0, next + 3));
                Assert.True(builder.Add(replica, item));
                expected = expected.Add(replica, item, out ORSet<string> delta);
                expectedDelta = expectedDelta.Merge(delta);
                next = Math.Max(next, int.Parse(item.AsSpan(2), CultureInfo.InvariantCulture));
            }
            else if (action < 86)
            {
                string item = Item(random.Next(0, next + 1));
                ORSet<string> after = expected.Remove(item, out ORSet<string> delta);
                Assert.Equal(!ReferenceEquals(after, expected), builder.Remove(item));
                expected = after;
                expectedDelta = expectedDelta.Merge(delta);
            }
            else if (action < 87)
            {
                ORSet<string> after = expected.Clear(out ORSet<string> delta);
                Assert.Equal(!ReferenceEquals(after, expected), builder.Clear());
                expected = after;
                expectedDelta = expectedDelta.Merge(delta);
            }
            else if (action < 96)
            {
                // Reads in the middle of a run.
                string item = Item(random.Next(0, next + 1));
                Assert.Equal(expected.Contains(item), builder.Contains(item));
                Assert.Equal(expected.Count, builder.Count);
            }
            else
            {
                ORSet<string> now = builder.ToImmutable();
                now.Validate();
                Assert.Equal(expected, now);
            }
        }

        ORSet<string> result = builder.ToImmutable();
        result.Validate();
        Assert.Equal(expected, result);
        Assert.Equal(Index(expected), Index(result));
        Assert.Equal(expectedDelta, builder.ToDelta());
        Assert.Equal(expected, start.Merge(builder.ToDelta()));
    }

    [Fact]
    public void SortedBulkLoad_FromEmpty_InterleavedReplicas_BuildsAValidSetWithEveryAdd()
    {
        ReplicaId[] replicas = ["c", "a", "b"];
        ORSet<string>.Builder builder = ORSet<string>.Empty.ToBuilder();
        ORSet<string> expected = ORSet<string>.Empty;
        for (int i = 0; i < 10_000; i++)
        {
            Assert.True(builder.Add(replicas[i % 3], Item(i)));
            expected = expected.Add(replicas[i % 3], Item(i));
        }

        ORSet<string> set = builder.ToImmutable();
        set.Validate();
        Assert.Equal(10_000, set.Count);
        Assert.Equal(expected, set);
        Assert.Equal(Index(expected), Index(set));
        Assert.Equal(new Dot("a", 412), Assert.Single(set.GetDots(Item(1234))));
        Assert.True(set.Context.IsCompact);
        Assert.Equal(set, builder.ToDelta());
    }

    [Fact]
    public void RunPath_RejectsWhatTheSetRejects_AndKeepsTheRun()
    {
        ORSet<string>.Builder builder = ORSet<string>.Empty.ToBuilder();
        builder.Add("r", "a");
        Assert.Throws<ArgumentException>(() => builder.Add(default, "b"));
        Assert.Throws<ArgumentNullException>(() => builder.Add("r", null!));
        Assert.Equal(ORSet<string>.Empty.Add("r", "a"), builder.ToImmutable());
    }

    [Fact]
    public void RunPath_ExhaustedCounter_ThrowsOverflow_LikeTheSet()
    {
        var full = CausalContext.Create(VersionVector.Create(new Dot("r", long.MaxValue - 1)));
        ORSet<string> start = ORSet<string>.Create([], full);
        ORSet<string>.Builder builder = start.ToBuilder();
        Assert.True(builder.Add("r", "a"));
        Assert.Throws<OverflowException>(() => start.Add("r", "a").Add("r", "b"));
        Assert.Throws<OverflowException>(() => builder.Add("r", "b"));
        ORSet<string> set = builder.ToImmutable();
        Assert.Equal(start.Add("r", "a"), set);
        Assert.Equal(new Dot("r", long.MaxValue), Assert.Single(set.GetDots("a")));
    }

    private static List<(Dot Dot, string Item)> Index(ORSet<string> set)
    {
        var result = new List<(Dot, string)>();
        foreach (KeyValuePair<Dot, string> entry in set.DotIndexTree)
        {
            result.Add((entry.Key, entry.Value));
        }

        return result;
    }

    private static string Item(int i) => "e-" + i.ToString("D6", CultureInfo.InvariantCulture);
}
