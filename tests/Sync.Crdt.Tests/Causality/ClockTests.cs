using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Tests.Causality;

public class ClockTests
{
    [Fact]
    public void LamportClock_Next_ExceedsAfterAndEveryEarlierTime()
    {
        var clock = new LamportClock();
        Assert.Equal(1, clock.Next(0));
        Assert.Equal(2, clock.Next(0));
        Assert.Equal(11, clock.Next(10));
        clock.Observe(100);
        Assert.Equal(101, clock.Next(0));
        clock.Observe(50);
        Assert.Equal(102, clock.Next(0));
    }

    [Fact]
    public void LamportClock_ConcurrentNext_ReturnsDistinctTimes()
    {
        var clock = new LamportClock();
        var seen = new long[4][];
        Parallel.For(0, 4, t =>
        {
            seen[t] = new long[1000];
            for (int i = 0; i < 1000; i++)
            {
                seen[t][i] = clock.Next(0);
            }
        });
        var all = new HashSet<long>();
        foreach (long[] times in seen)
        {
            foreach (long time in times)
            {
                Assert.True(all.Add(time), $"time {time} issued twice");
            }
        }

        Assert.Equal(4000, clock.Current);
    }

    [Fact]
    public void LamportClock_Overflow_ThrowsAndKeepsState()
    {
        var clock = new LamportClock(long.MaxValue);
        Assert.Throws<OverflowException>(() => clock.Next(0));
        Assert.Equal(long.MaxValue, clock.Current);
    }

    [Fact]
    public void HybridLogicalClock_FollowsWallClockWhenItAdvances()
    {
        var time = new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_000));
        var clock = new HybridLogicalClock(time);
        HybridTimestamp first = HybridTimestamp.FromPacked(clock.Next(0));
        Assert.Equal(1_000, first.UnixMilliseconds);
        Assert.Equal(0, first.Logical);
        HybridTimestamp second = HybridTimestamp.FromPacked(clock.Next(0));
        Assert.Equal(1_000, second.UnixMilliseconds);
        Assert.Equal(1, second.Logical);
        time.Now = DateTimeOffset.FromUnixTimeMilliseconds(2_000);
        HybridTimestamp third = HybridTimestamp.FromPacked(clock.Next(0));
        Assert.Equal(new HybridTimestamp(2_000, 0), third);
    }

    [Fact]
    public void HybridLogicalClock_WallClockSetBack_NeverGoesBackwards()
    {
        var time = new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(5_000));
        var clock = new HybridLogicalClock(time);
        long before = clock.Next(0);
        time.Now = DateTimeOffset.FromUnixTimeMilliseconds(1_000);
        long after = clock.Next(0);
        Assert.True(after > before);
        Assert.Equal(5_000, HybridTimestamp.FromPacked(after).UnixMilliseconds);
    }

    [Fact]
    public void HybridLogicalClock_RemoteTimeAhead_IsAdoptedUnlessBeyondDrift()
    {
        var time = new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_000));
        long remote = new HybridTimestamp(1_500, 7).Packed;
        var lenient = new HybridLogicalClock(time);
        lenient.Observe(remote);
        Assert.Equal(new HybridTimestamp(1_500, 8).Packed, lenient.Next(0));

        var strict = new HybridLogicalClock(time, TimeSpan.FromMilliseconds(100));
        Assert.Throws<ArgumentOutOfRangeException>(() => strict.Observe(remote));
        Assert.Equal(new HybridTimestamp(1_000, 0).Packed, strict.Next(0));
    }

    [Fact]
    public void HybridTimestamp_LogicalOverflow_CarriesIntoMilliseconds()
    {
        var time = new ManualTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(10));
        var clock = new HybridLogicalClock(time);
        long full = new HybridTimestamp(10, HybridTimestamp.MaxLogical).Packed;
        HybridTimestamp next = HybridTimestamp.FromPacked(clock.Next(full));
        Assert.Equal(new HybridTimestamp(11, 0), next);
    }

    [Fact]
    public void LWWTimestamp_EqualTimes_HigherReplicaWins()
    {
        var fromA = new LWWTimestamp(7, "server-a");
        var fromB = new LWWTimestamp(7, "server-b");
        Assert.True(fromB > fromA);
        Assert.True(new LWWTimestamp(8, "server-a") > fromB);
    }

    private sealed class ManualTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
