using System;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Registers;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Registers;

public class LWWRegisterTests
{
    private static readonly ReplicaId Server1 = "server-1";
    private static readonly ReplicaId Server2 = "server-2";

    [Fact]
    public void Merge_SeedHigherSequenceWins_WhateverTheReplicaIds()
    {
        // Seed 003: newValue.sequence > value.sequence wins, even against a higher server id.
        var newer = LWWRegister<string>.Create(new LWWTimestamp(5, Server1), "new");
        var older = LWWRegister<string>.Create(new LWWTimestamp(3, Server2), "old");

        Assert.Same(newer, newer.Merge(older));
        Assert.Same(newer, older.Merge(newer));
        Assert.Equal("new", older.Merge(newer).Value);
    }

    [Fact]
    public void Merge_SeedEqualSequence_HighestReplicaIdWinsInBothOrders()
    {
        // Seed 003: sequence equal, newValue.serverId > value.serverId wins.
        var fromServer1 = LWWRegister<string>.Create(new LWWTimestamp(4, Server1), "one");
        var fromServer2 = LWWRegister<string>.Create(new LWWTimestamp(4, Server2), "two");

        Assert.Equal("two", fromServer1.Merge(fromServer2).Value);
        Assert.Equal("two", fromServer2.Merge(fromServer1).Value);
        Assert.Equal(Server2, fromServer1.Merge(fromServer2).Timestamp.Replica);
    }

    [Fact]
    public void Set_WithClock_LocalWriteBeatsEverythingTheReplicaHasSeen()
    {
        // The register holds a write from far ahead (time 100, highest id); a fresh clock at "a" still wins locally.
        var seen = LWWRegister<string>.Create(new LWWTimestamp(100, "zzz"), "remote");
        var clock = new LamportClock();

        LWWRegister<string> written = seen.Set("a", "local", clock, out LWWRegister<string> delta);

        Assert.Equal("local", written.Value);
        Assert.Equal(new LWWTimestamp(101, "a"), written.Timestamp);
        Assert.Same(written, delta);
        Assert.Same(written, seen.Merge(delta));
        Assert.Equal(101, clock.Current);
    }

    [Fact]
    public void Set_WithHybridClockBehindTheSeenWrite_StillWins()
    {
        // Seed 003: device clocks lie. This device's wall clock is an hour behind the write it has seen.
        var now = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
        var aheadClock = new HybridLogicalClock(new FixedTimeProvider(now.AddHours(1)));
        var behindClock = new HybridLogicalClock(new FixedTimeProvider(now));
        LWWRegister<string> remote = LWWRegister<string>.Empty.Set("z", "from the future", aheadClock);

        LWWRegister<string> local = remote.Set("a", "later edit", behindClock);

        Assert.Equal("later edit", local.Value);
        Assert.True(local.Timestamp > remote.Timestamp);
        Assert.Same(local, remote.Merge(local));
    }

    [Fact]
    public void Set_ExplicitOlderTimestamp_LosesAndReturnsSameInstanceAndEmptyDelta()
    {
        var current = LWWRegister<int>.Create(new LWWTimestamp(10, "b"), 1);

        Assert.Same(current, current.Set(new LWWTimestamp(9, "z"), 2, out LWWRegister<int> delta));
        Assert.Same(LWWRegister<int>.Empty, delta);
        Assert.Same(current, current.Set(new LWWTimestamp(10, "a"), 2));
        Assert.Same(current, current.Set(new LWWTimestamp(10, "b"), 1));
    }

    [Fact]
    public void Set_ExplicitNewerTimestamp_WinsAndDeltaIsTheWrite()
    {
        var current = LWWRegister<int>.Create(new LWWTimestamp(10, "b"), 1);

        LWWRegister<int> result = current.Set(new LWWTimestamp(10, "c"), 2, out LWWRegister<int> delta);

        Assert.Equal(2, result.Value);
        Assert.Same(result, delta);
    }

    [Fact]
    public void Merge_SameTimestampDifferentStrings_OrdinallyGreaterValueWinsInBothOrders()
    {
        var timestamp = new LWWTimestamp(7, "a");
        var lower = LWWRegister<string>.Create(timestamp, "B");
        var upper = LWWRegister<string>.Create(timestamp, "a"); // 'a' (97) > 'B' (66) ordinally, though not alphabetically

        Assert.Same(upper, lower.Merge(upper));
        Assert.Same(upper, upper.Merge(lower));
        Assert.Equal("a", lower.Set(timestamp, "a").Value);
    }

    [Fact]
    public void Merge_SameTimestampDifferentNumbers_GreaterValueWins()
    {
        var timestamp = new LWWTimestamp(7, "a");
        var two = LWWRegister<int?>.Create(timestamp, 2);
        var none = LWWRegister<int?>.Create(timestamp, null);

        Assert.Same(two, two.Merge(none));
        Assert.Same(two, none.Merge(two));
    }

    [Fact]
    public void Set_SameTimestampDifferentValueWithoutOrder_ThrowsArgumentException()
    {
        var timestamp = new LWWTimestamp(7, "a");
        var current = LWWRegister<Unordered>.Create(timestamp, new Unordered(1));

        var ex = Assert.Throws<ArgumentException>(() => current.Set(timestamp, new Unordered(2)));

        Assert.Equal("timestamp", ex.ParamName);
        Assert.Same(current, current.Set(timestamp, new Unordered(1)));
        Assert.Equal(new Unordered(1), current.Value);
    }

    [Fact]
    public void Empty_HasNoValueOrTimestamp_AndLosesToEveryWrite()
    {
        LWWRegister<string> empty = LWWRegister<string>.Empty;
        var written = LWWRegister<string>.Create(new LWWTimestamp(0, "a"), "x");

        Assert.True(empty.IsEmpty);
        Assert.False(empty.TryGetValue(out _));
        Assert.Throws<InvalidOperationException>(() => empty.Value);
        Assert.Throws<InvalidOperationException>(() => empty.Timestamp);
        Assert.Same(written, empty.Merge(written));
        Assert.Same(written, written.Merge(empty));
        Assert.Same(empty, empty.Merge(LWWRegister<string>.Empty));
        Assert.Equal("(empty)", empty.ToString());
    }

    [Fact]
    public void Set_NullValue_IsAValueDistinctFromEmpty()
    {
        LWWRegister<string?> written = LWWRegister<string?>.Empty.Set("a", null, new LamportClock());

        Assert.False(written.IsEmpty);
        Assert.True(written.TryGetValue(out string? value));
        Assert.Null(value);
        EqualityAssert.NotEqual(LWWRegister<string?>.Empty, written);
    }

    [Fact]
    public void Mutators_BadArguments_ThrowAndLeaveStateUntouched()
    {
        var current = LWWRegister<string>.Create(new LWWTimestamp(3, "a"), "x");

        Assert.Equal("replica", Assert.Throws<ArgumentException>(() => current.Set(default(ReplicaId), "y", new LamportClock())).ParamName);
        Assert.Equal("clock", Assert.Throws<ArgumentNullException>(() => current.Set("a", "y", null!)).ParamName);
        Assert.Equal("timestamp", Assert.Throws<ArgumentException>(() => current.Set(default(LWWTimestamp), "y")).ParamName);
        Assert.Equal("timestamp", Assert.Throws<ArgumentException>(() => LWWRegister<string>.Create(default, "y")).ParamName);
        Assert.Throws<InvalidOperationException>(() => current.Set("a", "y", new StuckClock()));
        Assert.Throws<ArgumentNullException>(() => current.Merge(null!));
        Assert.Equal("x", current.Value);
        Assert.Equal(new LWWTimestamp(3, "a"), current.Timestamp);
    }

    [Fact]
    public void Equals_SameWrite_Equal_DifferentValueOrTimestamp_NotEqual()
    {
        var x = LWWRegister<string>.Create(new LWWTimestamp(3, "a"), "v");

        EqualityAssert.Equal(x, LWWRegister<string>.Create(new LWWTimestamp(3, "a"), "v"));
        EqualityAssert.NotEqual(x, LWWRegister<string>.Create(new LWWTimestamp(3, "a"), "w"));
        EqualityAssert.NotEqual(x, LWWRegister<string>.Create(new LWWTimestamp(3, "b"), "v"));
        EqualityAssert.NotEqual(x, LWWRegister<string>.Empty);
        Assert.Equal("v @ 3@a", x.ToString());
    }

    private static void AssertHolds((LWWTimestamp Timestamp, int Value)? expected, LWWRegister<int> register)
    {
        Assert.Equal(expected is null, register.IsEmpty);
        if (expected is { } write)
        {
            Assert.Equal(write.Timestamp, register.Timestamp);
            Assert.Equal(write.Value, register.Value);
        }
    }

    /// <summary>A value type with equality but no order.</summary>
    private sealed record Unordered(int Id);

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    /// <summary>A broken clock that never moves.</summary>
    private sealed class StuckClock : ILogicalClock
    {
        public long Next(long after) => after;

        public void Observe(long time)
        {
        }
    }
}
