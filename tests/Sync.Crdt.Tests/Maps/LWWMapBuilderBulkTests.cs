using System;
using System.Collections.Generic;
using System.Globalization;
using Sync.Crdt.Causality;
using Sync.Crdt.Maps;

namespace Sync.Crdt.Tests.Maps;

/// <summary>
/// The builder's ascending-run path (bulk load from sorted input) gives exactly the map and the delta group that the
/// same writes give through the immutable map, whatever reads and other writes interleave with the run.
/// </summary>
public class LWWMapBuilderBulkTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void RandomBatches_MatchTheImmutableOperations(int seed)
    {
        var random = new Random(seed);
        LWWMap<string, int> start = LWWMap<string, int>.Empty;
        var startClock = new LamportClock();
        for (int i = 0; i < random.Next(0, 200); i++)
        {
            start = start.Put("r0", Key(random.Next(0, 5_000)), i, startClock);
        }

        LWWMap<string, int>.Builder builder = start.ToBuilder();
        LWWMap<string, int> expected = start;
        LWWMap<string, int> expectedDelta = LWWMap<string, int>.Empty;
        var builderClock = new LamportClock();
        var expectedClock = new LamportClock();
        int next = 5_000;
        for (int step = 0; step < 3_000; step++)
        {
            int action = random.Next(100);
            string replica = "r" + random.Next(3).ToString(CultureInfo.InvariantCulture);
            if (action < 70)
            {
                // Ascending appends: the run path.
                next += random.Next(1, 3);
                string key = Key(next);
                Assert.True(builder.Put(replica, key, step, builderClock));
                expected = expected.Put(replica, key, step, expectedClock, out LWWMap<string, int> delta);
                expectedDelta = expectedDelta.Merge(delta);
            }
            else if (action < 80)
            {
                // A put with an explicit timestamp, anywhere (the run only when above every key).
                string key = Key(random.Next(0, next + 3));
                var timestamp = new LWWTimestamp((random.Next(1, 4) * 100_000) + step, replica);
                LWWMap<string, int> after = expected.Put(timestamp, key, step, out LWWMap<string, int> delta);
                Assert.Equal(!ReferenceEquals(after, expected), builder.Put(timestamp, key, step));
                expected = after;
                expectedDelta = expectedDelta.Merge(delta);
                next = Math.Max(next, int.Parse(key.AsSpan(2), CultureInfo.InvariantCulture));
            }
            else if (action < 88)
            {
                string key = Key(random.Next(0, next + 1));
                LWWMap<string, int> after = expected.Remove(replica, key, expectedClock, out LWWMap<string, int> delta);
                Assert.Equal(!ReferenceEquals(after, expected), builder.Remove(replica, key, builderClock));
                expected = after;
                expectedDelta = expectedDelta.Merge(delta);
            }
            else if (action < 96)
            {
                // Reads in the middle of a run.
                string key = Key(random.Next(0, next + 1));
                Assert.Equal(expected.TryGetValue(key, out int value), builder.TryGetValue(key, out int actual));
                Assert.Equal(value, actual);
                Assert.Equal(expected.Count, builder.Count);
            }
            else
            {
                Assert.Equal(expected, builder.ToImmutable());
            }
        }

        LWWMap<string, int> result = builder.ToImmutable();
        Assert.Equal(expected, result);
        Assert.Equal(expected.TombstoneCount, result.TombstoneCount);
        Assert.Equal(expectedDelta, builder.ToDelta());
        Assert.Equal(expected, start.Merge(builder.ToDelta()));
    }

    [Fact]
    public void SortedBulkLoad_FromEmpty_BuildsAValidTreeWithEveryWrite()
    {
        LWWMap<string, string>.Builder builder = LWWMap<string, string>.Empty.ToBuilder();
        for (int i = 0; i < 10_000; i++)
        {
            Assert.True(builder.Put(new LWWTimestamp(i + 1, "a"), Key(i), "v" + i.ToString(CultureInfo.InvariantCulture)));
        }

        LWWMap<string, string> map = builder.ToImmutable();
        Assert.Equal(10_000, map.Count);
        Assert.Equal("v1234", map[Key(1234)]);
        Assert.Equal(map, builder.ToDelta());

        // The run goes into the tree as built from sorted input: invariants hold.
        LWWMap<string, string> copy = LWWMap<string, string>.Empty;
        foreach (KeyValuePair<string, string> entry in map)
        {
            copy = copy.Put(new LWWTimestamp(int.Parse(entry.Value.AsSpan(1), CultureInfo.InvariantCulture) + 1, "a"), entry.Key, entry.Value);
        }

        Assert.Equal(copy, map);
    }

    [Fact]
    public void RunPath_RejectsWhatTheMapRejects()
    {
        LWWMap<string, int>.Builder builder = LWWMap<string, int>.Empty.ToBuilder();
        Assert.Throws<ArgumentException>(() => builder.Put(default(LWWTimestamp), "a", 1));
        Assert.Throws<ArgumentNullException>(() => builder.Put(new LWWTimestamp(1, "r"), null!, 1));
        Assert.Throws<ArgumentNullException>(() => builder.Put("r", "a", 1, null!));
        Assert.Empty(builder.ToImmutable());
    }

    private static string Key(int i) => "k-" + i.ToString("D6", CultureInfo.InvariantCulture);
}
