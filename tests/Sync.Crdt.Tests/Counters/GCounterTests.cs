using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Counters;

public class GCounterTests
{
    private static readonly ReplicaId A = "A";
    private static readonly ReplicaId B = "B";
    private static readonly ReplicaId C = "C";

    [Fact]
    public void Merge_SeedPageViewExample_TotalIsEight()
    {
        // Seed 000: A sees 5 views, B sees 3; after merging, the total is 8 on both sides.
        GCounter a = GCounter.Empty.Increment(A, 5);
        GCounter b = GCounter.Empty.Increment(B, 3);

        Assert.Equal(8, a.Merge(b).Value);
        Assert.Equal(8, b.Merge(a).Value);
        EqualityAssert.Equal(a.Merge(b), b.Merge(a));
        Assert.Equal(5, a.Merge(b)[A]);
        Assert.Equal(3, a.Merge(b)[B]);
        Assert.Equal(0, a.Merge(b)[C]);
    }

    [Fact]
    public void Merge_ConcurrentCounts_TakesPointwiseMaximumNotSum()
    {
        GCounter shared = GCounter.Empty.Increment(A, 5).Increment(B, 1);
        GCounter left = shared.Increment(A, 2);
        GCounter right = shared.Increment(B, 4).Increment(C, 1);

        GCounter merged = left.Merge(right);

        Assert.Equal(7, merged[A]);
        Assert.Equal(5, merged[B]);
        Assert.Equal(1, merged[C]);
        Assert.Equal(13, merged.Value);
        Assert.Equal(3, merged.Count);
    }

    [Fact]
    public void Merge_ConcurrentIncrementsOfKnownReplicas_TakesMaximumOfEach()
    {
        // Both sides derive from one state and only bump existing replicas (they share the replica array internally).
        GCounter shared = GCounter.Empty.Increment(A, 1).Increment(B, 1).Increment(C, 1);
        GCounter left = shared.Increment(A, 5).Increment(C, 1);
        GCounter right = shared.Increment(B, 7).Increment(C, 3);

        GCounter merged = left.Merge(right);

        Assert.Equal(6, merged[A]);
        Assert.Equal(8, merged[B]);
        Assert.Equal(4, merged[C]);
        Assert.Equal(18, merged.Value);
        EqualityAssert.Equal(merged, right.Merge(left));
        Assert.Same(merged, merged.Merge(left));
        Assert.Same(right, right.Merge(shared));
    }

    [Fact]
    public void Merge_IncludedState_ReturnsSameInstance()
    {
        GCounter older = GCounter.Empty.Increment(A, 2);
        GCounter newer = older.Increment(B).Increment(A);

        Assert.Same(newer, newer.Merge(older));
        Assert.Same(newer, older.Merge(newer));
        Assert.Same(newer, newer.Merge(GCounter.Empty));
        Assert.Same(newer, GCounter.Empty.Merge(newer));
        Assert.Same(newer, newer.Merge(GCounter.Empty.Increment(A, 3).Increment(B)));
    }

    [Fact]
    public void Increment_ZeroAmount_ReturnsSameInstanceAndEmptyDelta()
    {
        GCounter counter = GCounter.Empty.Increment(A, 4);

        GCounter result = counter.Increment(B, 0, out GCounter delta);

        Assert.Same(counter, result);
        Assert.Same(GCounter.Empty, delta);
    }

    [Fact]
    public void Increment_Delta_HoldsOnlyTheReplicasNewCount()
    {
        GCounter counter = GCounter.Empty.Increment(A, 4).Increment(B, 9);

        GCounter result = counter.Increment(A, 3, out GCounter delta);

        Assert.Single(delta);
        Assert.Equal(7, delta[A]);
        EqualityAssert.Equal(result, counter.Merge(delta));
        // A replica that saw only A's earlier increment gets A's part right, and keeps what it has.
        GCounter elsewhere = GCounter.Empty.Increment(A, 4).Increment(C, 1);
        EqualityAssert.Equal(elsewhere.Merge(result), elsewhere.Merge(delta).Merge(counter));
    }

    [Fact]
    public void Increment_DefaultReplica_ThrowsArgumentException()
    {
        GCounter counter = GCounter.Empty.Increment(A, 4);

        var ex = Assert.Throws<ArgumentException>(() => counter.Increment(default, 1));

        Assert.Equal("replica", ex.ParamName);
        Assert.Equal(4, counter.Value);
    }

    [Fact]
    public void Increment_NegativeAmount_ThrowsArgumentOutOfRange()
    {
        GCounter counter = GCounter.Empty.Increment(A, 4);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => counter.Increment(A, -1));

        Assert.Equal("amount", ex.ParamName);
        Assert.Equal(4, counter.Value);
        Assert.Equal(4, counter[A]);
    }

    [Fact]
    public void Increment_PastInt64Max_ThrowsOverflowAndLeavesStateUntouched()
    {
        GCounter counter = GCounter.Empty.Increment(A, long.MaxValue - 1);
        GCounter copy = GCounter.Empty.Increment(A, long.MaxValue - 1);

        Assert.Throws<OverflowException>(() => counter.Increment(A, 2));
        Assert.Throws<OverflowException>(() => counter.Increment(B, 2, out _));

        EqualityAssert.Equal(copy, counter);
        Assert.Equal(long.MaxValue - 1, counter.Value);
        Assert.Equal(long.MaxValue, counter.Increment(B, 1).Value);
    }

    [Fact]
    public void Merge_TotalBeyondInt64Max_DoesNotThrow_ValueThrows_ExactValueIsExact()
    {
        GCounter a = GCounter.Empty.Increment(A, long.MaxValue);
        GCounter b = GCounter.Empty.Increment(B, 10);

        GCounter merged = a.Merge(b);

        Assert.Equal((Int128)long.MaxValue + 10, merged.ExactValue);
        Assert.Throws<OverflowException>(() => merged.Value);
        Assert.Throws<OverflowException>(() => merged.Increment(C, 1));
        EqualityAssert.Equal(merged, b.Merge(a));
    }

    [Fact]
    public void Merge_Null_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>(() => GCounter.Empty.Merge(null!));

    [Fact]
    public void Equals_SameCountsBuiltDifferently_EqualWithSameHash()
    {
        GCounter x = GCounter.Empty.Increment(B, 2).Increment(A, 1).Increment(B, 1);
        GCounter y = GCounter.Empty.Increment(A, 1).Merge(GCounter.Empty.Increment(B, 3));
        GCounter z = GCounter.Create([new KeyValuePair<ReplicaId, long>(B, 3), new KeyValuePair<ReplicaId, long>(A, 1)]);

        EqualityAssert.Equal(x, y);
        EqualityAssert.Equal(x, z);
        EqualityAssert.NotEqual(x, y.Increment(A));
        // Same total, different split: not equal.
        EqualityAssert.NotEqual(x, GCounter.Empty.Increment(A, 4));
    }

    [Fact]
    public void Create_InvalidEntries_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => GCounter.Create((IEnumerable<KeyValuePair<ReplicaId, long>>)null!));
        Assert.Throws<ArgumentNullException>(() => GCounter.Create((VersionVector)null!));
        Assert.Throws<ArgumentException>(() => GCounter.Create([new KeyValuePair<ReplicaId, long>(default, 1)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => GCounter.Create([new KeyValuePair<ReplicaId, long>(A, -1)]));
        Assert.Throws<ArgumentException>(() => GCounter.Create([new KeyValuePair<ReplicaId, long>(A, 1), new KeyValuePair<ReplicaId, long>(A, 2)]));
        Assert.Same(GCounter.Empty, GCounter.Create([new KeyValuePair<ReplicaId, long>(A, 0)]));
    }

    [Fact]
    public void Enumerate_YieldsReplicasInOrderWithCounts()
    {
        GCounter counter = GCounter.Empty.Increment(C, 3).Increment(A, 1).Increment(B, 2);

        var entries = new List<KeyValuePair<ReplicaId, long>>();
        foreach (KeyValuePair<ReplicaId, long> entry in counter)
        {
            entries.Add(entry);
        }

        Assert.Equal([new(A, 1), new(B, 2), new(C, 3)], entries);
        Assert.Equal("6 [A:1, B:2, C:3]", counter.ToString());
    }

    [Fact]
    public void Merge_IndependentlyBuiltCounters_EqualsPointwiseMaximumModel()
    {
        // Counters built from scratch (as a decoder builds them) share no arrays: every merge path is exercised.
        Gen<Dictionary<ReplicaId, long>> counts =
            Gen.ListOf(Gen.Zip(Gen.Elements(A, B, C, (ReplicaId)"D", (ReplicaId)"E"), Gen.Choose(1, 4)))
                .Select(pairs =>
                {
                    var map = new Dictionary<ReplicaId, long>();
                    foreach ((ReplicaId replica, int count) in pairs)
                    {
                        map[replica] = count;
                    }

                    return map;
                });
        PropertyCheck.ForAll(Gen.Three(counts), t =>
        {
            (Dictionary<ReplicaId, long> x, Dictionary<ReplicaId, long> y, Dictionary<ReplicaId, long> z) = t;
            GCounter a = GCounter.Create(x);
            GCounter b = GCounter.Create(y);
            var model = new Dictionary<ReplicaId, long>(x);
            foreach (KeyValuePair<ReplicaId, long> entry in y)
            {
                model[entry.Key] = Math.Max(model.GetValueOrDefault(entry.Key), entry.Value);
            }

            GCounter merged = a.Merge(b);
            EqualityAssert.Equal(GCounter.Create(model), merged);
            Assert.Equal(model.Values.Sum(), merged.Value);
        });
    }

}
