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
    public void Merge_LaterWriteWins_TieBrokenByHigherReplica()
    {
        LWWMap<string, int> a = LWWMap<string, int>.Empty.Put("k", 1, new LwwTimestamp(5, A));
        LWWMap<string, int> b = LWWMap<string, int>.Empty.Put("k", 2, new LwwTimestamp(5, B));
        LWWMap<string, int> c = LWWMap<string, int>.Empty.Put("k", 3, new LwwTimestamp(4, B));
        Assert.Equal(2, a.Merge(b)["k"]);
        Assert.Equal(2, b.Merge(a)["k"]);
        Assert.Equal(1, a.Merge(c)["k"]);
    }

    [Fact]
    public void Merge_DeleteStaysDeleted_AgainstOlderPut()
    {
        LWWMap<string, int> a = LWWMap<string, int>.Empty.Put("k", 1, new LwwTimestamp(1, A));
        LWWMap<string, int> b = a.Remove("k", new LwwTimestamp(2, B));
        Assert.False(b.ContainsKey("k"));
        Assert.False(a.Merge(b).ContainsKey("k"));
        Assert.False(b.Merge(a).ContainsKey("k"));
        Assert.Equal(1, b.TombstoneCount);

        LWWMap<string, int> later = a.Put("k", 9, new LwwTimestamp(3, A));
        Assert.Equal(9, b.Merge(later)["k"]);
    }

    [Fact]
    public void TieRule_PutAndDeleteAtSameTimestamp_DeleteWins()
    {
        var t = new LwwTimestamp(7, A);
        LWWMap<string, int> put = LWWMap<string, int>.Empty.Put("k", 1, t);
        LWWMap<string, int> deleted = put.Remove("k", t);
        Assert.False(deleted.ContainsKey("k"));
        Assert.True(deleted.TryGetWrite("k", out LwwTimestamp ts, out bool isDeleted));
        Assert.Equal(t, ts);
        Assert.True(isDeleted);

        // The put arriving after the tombstone loses too; and the merge is symmetric.
        LWWMap<string, int> tombstoneOnly = LWWMap<string, int>.Empty.Merge(deleted);
        Assert.Same(tombstoneOnly, tombstoneOnly.Put("k", 1, t));
        Assert.False(put.Merge(deleted).ContainsKey("k"));
        Assert.False(deleted.Merge(put).ContainsKey("k"));
    }

    [Fact]
    public void Put_WithClock_BeatsCurrentWriteAndUsesClock()
    {
        var clock = new LamportClock();
        LWWMap<string, string> map = LWWMap<string, string>.Empty.Put("k", "v1", new LwwTimestamp(100, B));
        LWWMap<string, string> next = map.Put("k", "v2", A, clock, out LWWMap<string, string> delta);
        Assert.Equal("v2", next["k"]);
        Assert.True(next.TryGetWrite("k", out LwwTimestamp ts, out _));
        Assert.True(ts.Time > 100);
        Assert.Equal(A, ts.Replica);
        Assert.Single(delta);
        EqualityAssert.Equal(next, map.Merge(delta));
    }

    [Fact]
    public void Mutations_NoOps_ReturnSameInstance()
    {
        var clock = new LamportClock();
        LWWMap<string, int> map = LWWMap<string, int>.Empty.Put("k", 1, new LwwTimestamp(5, A));
        Assert.Same(map, map.Put("k", 0, new LwwTimestamp(4, B), out LWWMap<string, int> delta)); // older write
        Assert.True(delta.IsEmpty && delta.TombstoneCount == 0);
        Assert.Same(map, map.Put("k", 1, new LwwTimestamp(5, A))); // the same write again
        Assert.Same(map, map.Remove("absent", A, clock));
        Assert.Same(map, map.Remove("absent", new LwwTimestamp(9, A)));
        Assert.Same(map, map.Remove("k", new LwwTimestamp(4, A))); // older delete
        LWWMap<string, int> deleted = map.Remove("k", A, clock);
        Assert.Same(deleted, deleted.Remove("k", A, clock)); // already deleted
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
            builder.Put(i, i, A, clock);
        }

        LWWMap<int, int> map = builder.ToImmutable();
        LWWMap<int, int> put = map.Put(5, 50, B, clock, out LWWMap<int, int> putDelta);
        LWWMap<int, int> removed = put.Remove(6, B, clock, out LWWMap<int, int> removeDelta);
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
            .Put("a", 1, new LwwTimestamp(1, A))
            .Put("b", 2, new LwwTimestamp(2, A))
            .Put("c", 3, new LwwTimestamp(3, A))
            .Remove("a", new LwwTimestamp(4, A))
            .Remove("b", new LwwTimestamp(10, A));
        LWWMap<string, int> pruned = map.PruneTombstones(olderThanTime: 5);
        Assert.Equal(1, pruned.TombstoneCount);
        Assert.False(pruned.TryGetWrite("a", out _, out _));
        Assert.True(pruned.TryGetWrite("b", out _, out bool bDeleted) && bDeleted);
        Assert.Equal(["c"], pruned.Keys.ToArray());
        Assert.Same(pruned, pruned.PruneTombstones(5));

        // The caveat: a replica that never saw the delete resurrects the value once the tombstone is gone.
        LWWMap<string, int> stale = LWWMap<string, int>.Empty.Put("a", 1, new LwwTimestamp(1, A));
        Assert.False(map.Merge(stale).ContainsKey("a"));
        Assert.True(pruned.Merge(stale).ContainsKey("a"));
    }

    [Fact]
    public void BadInput_ClearExceptions_StateUntouched()
    {
        var clock = new LamportClock();
        LWWMap<string, string?> map = LWWMap<string, string?>.Empty.Put("k", "v", new LwwTimestamp(1, A));
        Assert.Throws<ArgumentNullException>("key", () => map.Put(null!, "v", A, clock));
        Assert.Throws<ArgumentException>("replica", () => map.Put("k", "v", default, clock));
        Assert.Throws<ArgumentNullException>("clock", () => map.Put("k", "v", A, null!));
        Assert.Throws<ArgumentException>("timestamp", () => map.Put("k", "v", default(LwwTimestamp)));
        Assert.Throws<ArgumentException>("timestamp", () => map.Put("k", "other", new LwwTimestamp(1, A)));
        Assert.Throws<ArgumentNullException>("key", () => map.Remove(null!, A, clock));
        Assert.Throws<ArgumentNullException>("key", () => map.TryGetValue(null!, out _));
        Assert.Throws<ArgumentNullException>("other", () => map.Merge(null!));
        Assert.Throws<KeyNotFoundException>(() => map["absent"]);
        Assert.Throws<InvalidOperationException>(() => map.Put("k", "v", A, new StuckClock()));
        Assert.Equal("v", map["k"]);
        Assert.Single(map);

        LWWMap<string, string?> withNull = map.Put("n", null, new LwwTimestamp(2, A));
        Assert.True(withNull.TryGetValue("n", out string? n));
        Assert.Null(n);
    }

    [Fact]
    public void Comparers_DefaultOrdinal_CustomAllowed_MismatchRejected_NoOrderThrows()
    {
        LWWMap<string, int> map = LWWMap<string, int>.Empty
            .Put("b", 1, new LwwTimestamp(1, A)).Put("B", 2, new LwwTimestamp(1, A)).Put("a", 3, new LwwTimestamp(1, A));
        Assert.Equal(["B", "a", "b"], map.Keys.ToArray());

        LWWMap<string, int> reversed = LWWMap<string, int>.Create(Comparer<string>.Create((x, y) => string.CompareOrdinal(y, x)))
            .Put("a", 1, new LwwTimestamp(1, A)).Put("b", 2, new LwwTimestamp(1, A));
        Assert.Equal(["b", "a"], reversed.Keys.ToArray());
        Assert.Throws<ArgumentException>("other", () => map.Merge(reversed));

        var ex = Assert.Throws<InvalidOperationException>(() => LWWMap<object, int>.Empty);
        Assert.Contains("System.Object", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equality_StructuralIncludingTombstones()
    {
        LWWMap<string, int> x = LWWMap<string, int>.Empty.Put("a", 1, new LwwTimestamp(1, A)).Remove("a", new LwwTimestamp(2, A)).Put("b", 2, new LwwTimestamp(3, B));
        LWWMap<string, int> y = LWWMap<string, int>.Empty.Put("b", 2, new LwwTimestamp(3, B)).Merge(LWWMap<string, int>.Empty.Put("a", 5, new LwwTimestamp(1, B)).Remove("a", new LwwTimestamp(2, A)));
        EqualityAssert.Equal(x, y);
        EqualityAssert.NotEqual(x, x.PruneTombstones(100));
        EqualityAssert.NotEqual(x, x.Put("b", 3, new LwwTimestamp(4, B)));
    }

    [Fact]
    public void Builder_Batch_EqualsSequentialWrites_AndDeltaReproducesIt()
    {
        LWWMap<string, int> start = LWWMap<string, int>.Empty.Put("x", 1, new LwwTimestamp(1, A));
        LWWMap<string, int>.Builder builder = start.ToBuilder();
        Assert.Same(start, builder.ToImmutable());
        Assert.True(builder.Put("y", 2, new LwwTimestamp(2, B)));
        Assert.False(builder.Put("y", 0, new LwwTimestamp(1, B)));
        Assert.True(builder.Remove("x", new LwwTimestamp(3, B)));
        Assert.Single(builder);

        LWWMap<string, int> expected = start.Put("y", 2, new LwwTimestamp(2, B)).Remove("x", new LwwTimestamp(3, B));
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
            builder.Put(i, i, new LwwTimestamp(1, A));
        }

        for (int i = 0; i < 3000; i += 3)
        {
            builder.Remove(i, new LwwTimestamp(2, A));
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
