using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;
using Sync.Crdt.Encoding;
using Sync.Crdt.Maps;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Maps;

/// <summary>
/// Argument checks naming the argument, the decoders' entry point <c>FromParts</c>, tombstone pruning's bound, the
/// empty deltas' comparer, merge-strategy agreement on invalid same-stamp input, hashing and the text form.
/// </summary>
public class LWWMapEdgeTests
{
    private static readonly ReplicaId A = "a";
    private static readonly ReplicaId B = "b";

    /// <summary>A value without an order: two writes under one timestamp resolve by role (the left one).</summary>
    private sealed record Unordered(int Value);

    [Fact]
    public void Arguments_AreCheckedByName()
    {
        Assert.Throws<ArgumentNullException>(() => CodecOf<LWWMap<string, int>>(null!));
        Assert.NotNull(CodecOf<LWWMap<string, int>>(new CrdtSerializerOptions()));
        Assert.Throws<ArgumentNullException>("comparer", () => LWWMap<string, int>.CreateEmpty(null!));
        Assert.Throws<ArgumentNullException>("entries", () => LWWMap<string, int>.Create(null!));

        // Keys the map does not hold: a missing check would return the map unchanged instead of throwing.
        LWWMap<string, int> map = LWWMap<string, int>.Empty.Put(new LWWTimestamp(1, A), "k", 1);
        var clock = new LamportClock();
        Assert.Throws<ArgumentException>("replica", () => map.Put(default, "k", 2, clock));
        Assert.Throws<ArgumentException>("replica", () => map.Remove(default, "absent", clock));
        Assert.Throws<ArgumentNullException>("clock", () => map.Remove(A, "absent", null!));
        Assert.Throws<ArgumentException>("timestamp", () => map.Remove(default(LWWTimestamp), "absent"));
        Assert.Throws<ArgumentNullException>("key", () => map.Remove(new LWWTimestamp(2, A), null!));
        Assert.Throws<ArgumentNullException>("key", () => map.TryGetEntry(null!, out _));
    }

    [Fact]
    public void Create_RejectsTheDefaultEntry_AndRepeatedKeysAnywhere()
    {
        // An entry's constructor checks its key and timestamp, so only the default entry can lack them.
        ArgumentException noKey = Assert.Throws<ArgumentException>("entries", () => LWWMap<string, int>.Create([default]));
        Assert.Contains("default entry", noKey.Message, StringComparison.Ordinal);

        // The repeated key sorts to the end, after a first pair of distinct keys.
        ArgumentException twice = Assert.Throws<ArgumentException>("entries", () => LWWMap<string, int>.Create(
        [
            new LWWMapEntry<string, int>(new LWWTimestamp(1, A), "z", 1),
            new LWWMapEntry<string, int>(new LWWTimestamp(2, A), "a", 2),
            new LWWMapEntry<string, int>(new LWWTimestamp(3, A), "z", 3),
        ]));
        Assert.Contains("two entries", twice.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromParts_ChecksEveryInvariant()
    {
        IComparer<string> order = StringComparer.Ordinal;
        LWWEntry<int> write = new(new LWWTimestamp(1, A), isDeleted: false, 1);
        Assert.Throws<ArgumentNullException>("comparer", () => LWWMap<string, int>.FromParts(null!, [], []));
        Assert.Throws<ArgumentNullException>("keys", () => LWWMap<string, int>.FromParts(order, null!, []));
        Assert.Throws<ArgumentNullException>("entries", () => LWWMap<string, int>.FromParts(order, [], null!));
        Assert.Contains("needs its write", Assert.Throws<ArgumentException>("entries", () => LWWMap<string, int>.FromParts(order, ["a", "b"], [write])).Message, StringComparison.Ordinal);
        Assert.Contains("strictly increasing", Assert.Throws<ArgumentException>("keys", () => LWWMap<string, int>.FromParts(order, ["b", "a"], [write, write])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>("keys", () => LWWMap<string, int>.FromParts(order, [null!], [write]));
        Assert.Contains("valid timestamp", Assert.Throws<ArgumentException>("entries", () => LWWMap<string, int>.FromParts(order, ["a"], [new LWWEntry<int>(default, isDeleted: false, 1)])).Message, StringComparison.Ordinal);

        LWWMap<string, int> map = LWWMap<string, int>.FromParts(order, ["a", "b"], [write, new LWWEntry<int>(new LWWTimestamp(2, B), isDeleted: true, 0)]);
        Assert.Single(map);
        Assert.Equal([1], map.Values.ToArray());
    }

    [Fact]
    public void PruneTombstones_KeepsATombstoneAtTheBound_AndReturnsThisWithoutTombstones()
    {
        LWWMap<string, int> live = LWWMap<string, int>.Empty.Put(new LWWTimestamp(1, A), "k", 1).Put(new LWWTimestamp(2, A), "j", 2);
        Assert.Same(live, live.PruneTombstones(long.MaxValue));
        LWWMap<string, int> removed = live.Remove(new LWWTimestamp(5, A), "k").Remove(new LWWTimestamp(7, A), "j");
        LWWMap<string, int> pruned = removed.PruneTombstones(7);
        Assert.False(pruned.TryGetEntry("k", out _));
        Assert.True(pruned.TryGetEntry("j", out LWWMapEntry<string, int> kept));
        Assert.True(kept.IsDeleted);
    }

    [Fact]
    public void LosingWrites_ReturnEmptyDeltasInTheMapsOrder()
    {
        LWWMap<string, int> map = LWWMap<string, int>.Empty.Put(new LWWTimestamp(5, A), "k", 1);
        map.Put(new LWWTimestamp(4, A), "k", 2, out LWWMap<string, int> delta);
        Assert.Same(LWWMap<string, int>.Empty, delta);

        IComparer<string> reversed = Comparer<string>.Create((x, y) => string.CompareOrdinal(y, x));
        LWWMap<string, int> custom = LWWMap<string, int>.CreateEmpty(reversed).Put(new LWWTimestamp(5, A), "k", 1);
        custom.Put(new LWWTimestamp(4, A), "k", 2, out LWWMap<string, int> customDelta);
        Assert.True(customDelta.IsEmpty);
        Assert.Same(reversed, customDelta.Comparer);
        custom.Remove(A, "absent", new LamportClock(), out LWWMap<string, int> removeDelta);
        Assert.Same(reversed, removeDelta.Comparer);
    }

    [Fact]
    public void SameStampUnorderedValues_ResolveByRole_TheSameWayInEveryMergeStrategy()
    {
        // Invalid input (one timestamp, two values, no order): the left operand wins. The point-update path must keep
        // the operands' roles when it swaps which side it walks.
        var stamp = new LWWTimestamp(9, A);
        LWWMap<int, Unordered> big = LWWMap<int, Unordered>.Empty;
        for (int i = 0; i < 200; i++)
        {
            big = big.Put(new LWWTimestamp(1, B), i, new Unordered(i));
        }

        big = big.Put(stamp, 7, new Unordered(-1));
        LWWMap<int, Unordered> small = LWWMap<int, Unordered>.Empty.Put(stamp, 7, new Unordered(-2));
        foreach ((LWWMap<int, Unordered> left, LWWMap<int, Unordered> right) in new[] { (big, small), (small, big) })
        {
            LWWMap<int, Unordered> joined = left.MergeUsing(right, MergeStrategy.Join);
            LWWMap<int, Unordered> pointwise = left.MergeUsing(right, MergeStrategy.PointUpdates);
            EqualityAssert.Equal(joined, pointwise);
            EqualityAssert.Equal(joined, left.Merge(right));
            Assert.Equal(left[7], joined[7]);
        }
    }

    [Fact]
    public void Hashes_DistinguishKeysTimestampsTombstonesAndValues()
    {
        LWWMap<string, int>[] maps =
        [
            LWWMap<string, int>.Empty.Put(new LWWTimestamp(1, A), "k", 1),
            LWWMap<string, int>.Empty.Put(new LWWTimestamp(1, A), "j", 1),
            LWWMap<string, int>.Empty.Put(new LWWTimestamp(2, A), "k", 1),
            LWWMap<string, int>.Empty.Put(new LWWTimestamp(1, A), "k", 2),
            LWWMap<string, int>.Create([LWWMapEntry<string, int>.Tombstone(new LWWTimestamp(1, A), "k")]),
        ];
        Assert.Equal(maps.Length, maps.Select(m => m.GetHashCode()).Distinct().Count());
    }

    [Fact]
    public void ToString_ListsLiveEntriesInKeyOrder()
    {
        LWWMap<string, int> map = LWWMap<string, int>.Empty
            .Put(new LWWTimestamp(1, A), "b", 2).Put(new LWWTimestamp(1, A), "a", 1).Put(new LWWTimestamp(1, A), "c", 3)
            .Remove(new LWWTimestamp(2, A), "c");
        Assert.Equal("{a=1, b=2} (+1 tombstones)", map.ToString());
        Assert.Equal("{} (+0 tombstones)", LWWMap<string, int>.Empty.ToString());
    }

    private static ICrdtValueCodec<T> CodecOf<T>(CrdtSerializerOptions options)
        where T : class, ICrdt<T> => T.CreateCodec(options);
}
