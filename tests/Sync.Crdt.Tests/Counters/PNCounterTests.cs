using System;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Counters;

public class PNCounterTests
{
    private static readonly ReplicaId A = "A";
    private static readonly ReplicaId B = "B";
    private static readonly ReplicaId C = "C";

    [Fact]
    public void Merge_SeedStyleExample_ValueIsIncrementsMinusDecrements()
    {
        // Seed 000's PN-counter: one G-counter up, one down. A adds 10 and removes 3; B adds 5; C removes 4.
        PNCounter a = PNCounter.Empty.Increment(A, 10).Decrement(A, 3);
        PNCounter b = PNCounter.Empty.Increment(B, 5);
        PNCounter c = PNCounter.Empty.Decrement(C, 4);

        PNCounter merged = a.Merge(b).Merge(c);

        Assert.Equal(8, merged.Value);
        Assert.Equal(15, merged.Increments.Value);
        Assert.Equal(7, merged.Decrements.Value);
        EqualityAssert.Equal(merged, c.Merge(a.Merge(b)));
    }

    [Fact]
    public void Decrement_BelowZero_GivesNegativeValue()
    {
        PNCounter counter = PNCounter.Empty.Increment(A, 2).Decrement(B, 5);

        Assert.Equal(-3, counter.Value);
    }

    [Fact]
    public void Merge_ConcurrentDecrementsOfOneReplica_KeepsTheLargerCount()
    {
        PNCounter shared = PNCounter.Empty.Decrement(A, 2);
        PNCounter older = shared;
        PNCounter newer = shared.Decrement(A, 3);

        Assert.Equal(-5, older.Merge(newer).Value);
        Assert.Same(newer, older.Merge(newer));
        Assert.Same(newer, newer.Merge(older));
    }

    [Fact]
    public void Mutators_ZeroAmount_ReturnSameInstanceAndEmptyDelta()
    {
        PNCounter counter = PNCounter.Empty.Increment(A, 3);

        Assert.Same(counter, counter.Increment(B, 0, out PNCounter incrementDelta));
        Assert.Same(PNCounter.Empty, incrementDelta);
        Assert.Same(counter, counter.Decrement(B, 0, out PNCounter decrementDelta));
        Assert.Same(PNCounter.Empty, decrementDelta);
    }

    [Fact]
    public void Decrement_Delta_HoldsOneDecrementEntry()
    {
        PNCounter counter = PNCounter.Empty.Increment(A, 3).Decrement(A, 1);

        PNCounter result = counter.Decrement(A, 4, out PNCounter delta);

        Assert.True(delta.Increments.IsEmpty);
        Assert.Single(delta.Decrements);
        Assert.Equal(5, delta.Decrements[A]);
        EqualityAssert.Equal(result, counter.Merge(delta));
        Assert.Equal(-2, result.Value);
    }

    [Fact]
    public void Mutators_BadArguments_ThrowAndLeaveStateUntouched()
    {
        PNCounter counter = PNCounter.Empty.Increment(A, 3);

        Assert.Equal("replica", Assert.Throws<ArgumentException>(() => counter.Increment(default)).ParamName);
        Assert.Equal("replica", Assert.Throws<ArgumentException>(() => counter.Decrement(default, 1, out _)).ParamName);
        Assert.Equal("amount", Assert.Throws<ArgumentOutOfRangeException>(() => counter.Increment(A, -2)).ParamName);
        Assert.Equal("amount", Assert.Throws<ArgumentOutOfRangeException>(() => counter.Decrement(A, long.MinValue)).ParamName);
        Assert.Throws<ArgumentNullException>(() => counter.Merge(null!));
        Assert.Throws<ArgumentNullException>(() => PNCounter.Create(null!, GCounter.Empty));
        Assert.Equal(3, counter.Value);
        EqualityAssert.Equal(PNCounter.Empty.Increment(A, 3), counter);
    }

    [Fact]
    public void Mutators_ValueOutsideInt64_ThrowOverflowAndLeaveStateUntouched()
    {
        PNCounter high = PNCounter.Empty.Increment(A, long.MaxValue);
        PNCounter low = PNCounter.Empty.Decrement(A, long.MaxValue);

        Assert.Throws<OverflowException>(() => high.Increment(B, 1));
        Assert.Throws<OverflowException>(() => low.Decrement(B, 2));
        Assert.Equal(long.MaxValue, high.Value);
        Assert.Equal(-long.MaxValue, low.Value);
        // long.MinValue itself is reachable: -(MaxValue) - 1.
        Assert.Equal(long.MinValue, low.Decrement(B, 1).Value);
    }

    [Fact]
    public void Increment_AfterIncrementsPassInt64Max_StillWorksWhileValueFits()
    {
        // The increments alone exceed Int64.MaxValue, but the value (their difference) fits.
        PNCounter counter = PNCounter.Empty.Increment(A, long.MaxValue).Decrement(B, 100).Increment(C, 50);

        Assert.Equal(long.MaxValue - 50, counter.Value);
        Assert.Equal((Int128)long.MaxValue + 50, counter.Increments.ExactValue);
        Assert.Throws<OverflowException>(() => counter.Increments.Value);
    }

    [Fact]
    public void Increment_PerReplicaCountPastInt64Max_ThrowsOverflow()
    {
        PNCounter counter = PNCounter.Empty.Increment(A, long.MaxValue).Decrement(B, 10);

        // The value would fit (MaxValue - 10 + 5 would not; use 5 after decrementing more), but A's own count cannot grow.
        PNCounter lowered = counter.Decrement(B, 100);
        Assert.Throws<OverflowException>(() => lowered.Increment(A, 5));
        Assert.Equal(long.MaxValue - 110, lowered.Value);
        Assert.Equal(long.MaxValue - 105, lowered.Increment(C, 5).Value);
    }

    [Fact]
    public void Merge_ValueOutsideInt64_DoesNotThrow_ValueThrows_ExactValueIsExact()
    {
        PNCounter a = PNCounter.Empty.Increment(A, long.MaxValue);
        PNCounter b = PNCounter.Empty.Increment(B, long.MaxValue);

        PNCounter merged = a.Merge(b);

        Assert.Equal((Int128)long.MaxValue * 2, merged.ExactValue);
        Assert.Throws<OverflowException>(() => merged.Value);
        Assert.Throws<OverflowException>(() => merged.Increment(C, 1));
        // A decrement that brings the value back into range is allowed.
        Assert.Equal(long.MaxValue, merged.Decrement(C, long.MaxValue).Value);
    }

    [Fact]
    public void Equals_SameHalvesBuiltDifferently_Equal_SameValueDifferentHalves_NotEqual()
    {
        PNCounter x = PNCounter.Empty.Increment(A, 3).Decrement(B, 1);
        PNCounter y = PNCounter.Create(GCounter.Empty.Increment(A, 3), GCounter.Empty.Increment(B, 1));

        EqualityAssert.Equal(x, y);
        EqualityAssert.NotEqual(x, PNCounter.Empty.Increment(A, 2));
        Assert.Equal(x.Value, PNCounter.Empty.Increment(A, 2).Value);
        Assert.Same(PNCounter.Empty, PNCounter.Create(GCounter.Empty, GCounter.Empty));
    }

}
