using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Maps;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Maps;

public class LWWMapTests
{
    private static readonly ReplicaId A = "a";
    private static readonly ReplicaId B = "b";

    [Fact]
    public void Merge_SameTimestampSameReplicaDifferentValues_GreaterValueWinsInBothOrders()
    {
        // Two writes that share timestamp and replica but differ in value (colliding explicit timestamps): merge must
        // stay commutative, so the tie is broken by the value (ordinal for strings, the default order otherwise).
        var stamp = new LWWTimestamp(5, A);
        LWWMap<string, string> x = LWWMap<string, string>.Empty.Put(stamp, "k", "x");
        LWWMap<string, string> y = LWWMap<string, string>.Empty.Put(stamp, "k", "y");
        EqualityAssert.Equal(x.Merge(y), y.Merge(x));
        Assert.Equal("y", x.Merge(y)["k"]);
        Assert.Equal("y", y.Merge(x)["k"]);
        Assert.Same(y, y.Merge(x));

        LWWMap<string, int> low = LWWMap<string, int>.Empty.Put(stamp, "k", -3);
        LWWMap<string, int> high = LWWMap<string, int>.Empty.Put(stamp, "k", 2);
        Assert.Equal(2, low.Merge(high)["k"]);
        Assert.Equal(2, high.Merge(low)["k"]);
        Assert.Same(high, high.Merge(low));
        Assert.Same(low, low.Merge(LWWMap<string, int>.Empty.Put(stamp, "k", -3)));
    }

    [Fact]
    public void Merge_LaterWriteWins_TieBrokenByHigherReplica()
    {
        LWWMap<string, int> a = LWWMap<string, int>.Empty.Put(new LWWTimestamp(5, A), "k", 1);
        LWWMap<string, int> b = LWWMap<string, int>.Empty.Put(new LWWTimestamp(5, B), "k", 2);
        LWWMap<string, int> c = LWWMap<string, int>.Empty.Put(new LWWTimestamp(4, B), "k", 3);
        Assert.Equal(2, a.Merge(b)["k"]);
        Assert.Equal(2, b.Merge(a)["k"]);
        Assert.Equal(1, a.Merge(c)["k"]);
    }

    [Fact]
    public void Merge_DeleteStaysDeleted_AgainstOlderPut()
    {
        LWWMap<string, int> a = LWWMap<string, int>.Empty.Put(new LWWTimestamp(1, A), "k", 1);
        LWWMap<string, int> b = a.Remove(new LWWTimestamp(2, B), "k");
        Assert.False(b.ContainsKey("k"));
        Assert.False(a.Merge(b).ContainsKey("k"));
        Assert.False(b.Merge(a).ContainsKey("k"));
        Assert.Equal(1, b.TombstoneCount);

        LWWMap<string, int> later = a.Put(new LWWTimestamp(3, A), "k", 9);
        Assert.Equal(9, b.Merge(later)["k"]);
    }

    [Fact]
    public void TieRule_PutAndDeleteAtSameTimestamp_DeleteWins()
    {
        var t = new LWWTimestamp(7, A);
        LWWMap<string, int> put = LWWMap<string, int>.Empty.Put(t, "k", 1);
        LWWMap<string, int> deleted = put.Remove(t, "k");
        Assert.False(deleted.ContainsKey("k"));
        Assert.True(deleted.TryGetEntry("k", out LWWMapEntry<string, int> entry));
        Assert.Equal(t, entry.Timestamp);
        Assert.True(entry.IsDeleted);

        // The put arriving after the tombstone loses too; and the merge is symmetric.
        LWWMap<string, int> tombstoneOnly = LWWMap<string, int>.Empty.Merge(deleted);
        Assert.Same(tombstoneOnly, tombstoneOnly.Put(t, "k", 1));
        Assert.False(put.Merge(deleted).ContainsKey("k"));
        Assert.False(deleted.Merge(put).ContainsKey("k"));
    }

    [Fact]
    public void Put_WithClock_BeatsCurrentWriteAndUsesClock()
    {
        var clock = new LamportClock();
        LWWMap<string, string> map = LWWMap<string, string>.Empty.Put(new LWWTimestamp(100, B), "k", "v1");
        LWWMap<string, string> next = map.Put(A, "k", "v2", clock, out LWWMap<string, string> delta);
        Assert.Equal("v2", next["k"]);
        Assert.True(next.TryGetEntry("k", out LWWMapEntry<string, string> entry));
        LWWTimestamp ts = entry.Timestamp;
        Assert.True(ts.Time > 100);
        Assert.Equal(A, ts.Replica);
        Assert.Single(delta);
        EqualityAssert.Equal(next, map.Merge(delta));
    }

    [Fact]
    public void Mutations_NoOps_ReturnSameInstance()
    {
        var clock = new LamportClock();
        LWWMap<string, int> map = LWWMap<string, int>.Empty.Put(new LWWTimestamp(5, A), "k", 1);
        Assert.Same(map, map.Put(new LWWTimestamp(4, B), "k", 0, out LWWMap<string, int> delta)); // older write
        Assert.True(delta.IsEmpty && delta.TombstoneCount == 0);
        Assert.Same(map, map.Put(new LWWTimestamp(5, A), "k", 1)); // the same write again
        Assert.Same(map, map.Remove(A, "absent", clock));
        Assert.Same(map, map.Remove(new LWWTimestamp(9, A), "absent"));
        Assert.Same(map, map.Remove(new LWWTimestamp(4, A), "k")); // older delete
        LWWMap<string, int> deleted = map.Remove(A, "k", clock);
        Assert.Same(deleted, deleted.Remove(A, "k", clock)); // already deleted
        Assert.Same(map, map.Merge(LWWMap<string, int>.Empty));
        Assert.Same(map, LWWMap<string, int>.Empty.Merge(map));
        Assert.Same(deleted, deleted.Merge(map));
        Assert.Same(deleted, map.Merge(deleted));
    }

    [Fact]
    public void Deltas_AreSingleWrites_AndReproduceTheMutation()
    {
        var clock = new LamportClock();
        LWWMap<int, int>.Builder builder = LWWMap<int, int>.Empty.ToBuilder();
        for (int i = 0; i < 1000; i++)
        {
            builder.Put(A, i, i, clock);
        }

        LWWMap<int, int> map = builder.ToImmutable();
        LWWMap<int, int> put = map.Put(B, 5, 50, clock, out LWWMap<int, int> putDelta);
        LWWMap<int, int> removed = put.Remove(B, 6, clock, out LWWMap<int, int> removeDelta);
        Assert.Single(putDelta);
        Assert.Equal(0, putDelta.TombstoneCount);
        Assert.Empty(removeDelta);
        Assert.Equal(1, removeDelta.TombstoneCount);
        EqualityAssert.Equal(removed, map.Merge(removeDelta).Merge(putDelta));
        EqualityAssert.Equal(removed, map.Merge(putDelta.Merge(removeDelta)));
    }

    [Fact]
    public void PruneTombstones_RemovesOnlyOldTombstones()
    {
        LWWMap<string, int> map = LWWMap<string, int>.Empty
            .Put(new LWWTimestamp(1, A), "a", 1)
            .Put(new LWWTimestamp(2, A), "b", 2)
            .Put(new LWWTimestamp(3, A), "c", 3)
            .Remove(new LWWTimestamp(4, A), "a")
            .Remove(new LWWTimestamp(10, A), "b");
        LWWMap<string, int> pruned = map.PruneTombstones(olderThanTime: 5);
        Assert.Equal(1, pruned.TombstoneCount);
        Assert.False(pruned.TryGetEntry("a", out _));
        Assert.True(pruned.TryGetEntry("b", out LWWMapEntry<string, int> b) && b.IsDeleted);
        Assert.Equal(["c"], pruned.Keys.ToArray());
        Assert.Same(pruned, pruned.PruneTombstones(5));

        // The caveat: a replica that never saw the delete resurrects the value once the tombstone is gone.
        LWWMap<string, int> stale = LWWMap<string, int>.Empty.Put(new LWWTimestamp(1, A), "a", 1);
        Assert.False(map.Merge(stale).ContainsKey("a"));
        Assert.True(pruned.Merge(stale).ContainsKey("a"));
    }

    [Fact]
    public void BadInput_ClearExceptions_StateUntouched()
    {
        var clock = new LamportClock();
        LWWMap<string, string?> map = LWWMap<string, string?>.Empty.Put(new LWWTimestamp(1, A), "k", "v");
        Assert.Throws<ArgumentNullException>("key", () => map.Put(A, null!, "v", clock));
        Assert.Throws<ArgumentException>("replica", () => map.Put(default, "k", "v", clock));
        Assert.Throws<ArgumentNullException>("clock", () => map.Put(A, "k", "v", null!));
        Assert.Throws<ArgumentException>("timestamp", () => map.Put(default(LWWTimestamp), "k", "v"));
        Assert.Throws<ArgumentException>("timestamp", () => map.Put(new LWWTimestamp(1, A), "k", "other"));
        Assert.Throws<ArgumentNullException>("key", () => map.Remove(A, null!, clock));
        Assert.Throws<ArgumentNullException>("key", () => map.TryGetValue(null!, out _));
        Assert.Throws<ArgumentNullException>("other", () => map.Merge(null!));
        Assert.Throws<KeyNotFoundException>(() => map["absent"]);
        Assert.Throws<InvalidOperationException>(() => map.Put(A, "k", "v", new StuckClock()));
        Assert.Equal("v", map["k"]);
        Assert.Single(map);

        LWWMap<string, string?> withNull = map.Put(new LWWTimestamp(2, A), "n", null);
        Assert.True(withNull.TryGetValue("n", out string? n));
        Assert.Null(n);
    }

    [Fact]
    public void Comparers_DefaultOrdinal_CustomAllowed_MismatchRejected_NoOrderThrows()
    {
        LWWMap<string, int> map = LWWMap<string, int>.Empty
            .Put(new LWWTimestamp(1, A), "b", 1).Put(new LWWTimestamp(1, A), "B", 2).Put(new LWWTimestamp(1, A), "a", 3);
        Assert.Equal(["B", "a", "b"], map.Keys.ToArray());

        LWWMap<string, int> reversed = LWWMap<string, int>.CreateEmpty(Comparer<string>.Create((x, y) => string.CompareOrdinal(y, x)))
            .Put(new LWWTimestamp(1, A), "a", 1).Put(new LWWTimestamp(1, A), "b", 2);
        Assert.Equal(["b", "a"], reversed.Keys.ToArray());
        Assert.Throws<ArgumentException>("other", () => map.Merge(reversed));

        var ex = Assert.Throws<InvalidOperationException>(() => LWWMap<object, int>.Empty);
        Assert.Contains("System.Object", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_StructuralIncludingTombstones()
    {
        LWWMap<string, int> x = LWWMap<string, int>.Empty.Put(new LWWTimestamp(1, A), "a", 1).Remove(new LWWTimestamp(2, A), "a").Put(new LWWTimestamp(3, B), "b", 2);
        LWWMap<string, int> y = LWWMap<string, int>.Empty.Put(new LWWTimestamp(3, B), "b", 2).Merge(LWWMap<string, int>.Empty.Put(new LWWTimestamp(1, B), "a", 5).Remove(new LWWTimestamp(2, A), "a"));
        EqualityAssert.Equal(x, y);
        EqualityAssert.NotEqual(x, x.PruneTombstones(100));
        EqualityAssert.NotEqual(x, x.Put(new LWWTimestamp(4, B), "b", 3));
    }

    [Fact]
    public void Builder_Batch_EqualsSequentialWrites_AndDeltaReproducesIt()
    {
        LWWMap<string, int> start = LWWMap<string, int>.Empty.Put(new LWWTimestamp(1, A), "x", 1);
        LWWMap<string, int>.Builder builder = start.ToBuilder();
        Assert.Same(start, builder.ToImmutable());
        Assert.True(builder.Put(new LWWTimestamp(2, B), "y", 2));
        Assert.False(builder.Put(new LWWTimestamp(1, B), "y", 0));
        Assert.True(builder.Remove(new LWWTimestamp(3, B), "x"));
        Assert.Single(builder);

        LWWMap<string, int> expected = start.Put(new LWWTimestamp(2, B), "y", 2).Remove(new LWWTimestamp(3, B), "x");
        EqualityAssert.Equal(expected, builder.ToImmutable());
        EqualityAssert.Equal(expected, start.Merge(builder.ToDelta()));
        Assert.Equal([new KeyValuePair<string, int>("y", 2)], builder.ToArray());
    }

    [Fact]
    public void Enumerator_SkipsTombstones_AndDoesNotAllocate()
    {
        LWWMap<int, int>.Builder builder = LWWMap<int, int>.Empty.ToBuilder();
        for (int i = 0; i < 3000; i++)
        {
            builder.Put(new LWWTimestamp(1, A), i, i);
        }

        for (int i = 0; i < 3000; i += 3)
        {
            builder.Remove(new LWWTimestamp(2, A), i);
        }

        LWWMap<int, int> map = builder.ToImmutable();
        Assert.Equal(2000, map.Count);
        Assert.Equal(1000, map.TombstoneCount);
        Sum(map);
        long before = GC.GetAllocatedBytesForCurrentThread();
        long sum = Sum(map);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(Enumerable.Range(0, 3000).Where(i => i % 3 != 0).Sum(i => (long)i), sum);
    }

    private static long Sum(LWWMap<int, int> map)
    {
        long sum = 0;
        foreach (KeyValuePair<int, int> entry in map)
        {
            sum += entry.Value;
        }

        return sum;
    }

    private sealed class StuckClock : ILogicalClock
    {
        public long Next(long after) => after;

        public void Observe(long time)
        {
        }
    }
}
