using System;
using System.Threading;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Causality;

/// <summary>
/// A Lamport clock: a counter that moves past every time it issues or observes. Its times say nothing about
/// wall time, but they cannot be fooled by a device whose clock is wrong (they are plain sequence numbers).
/// </summary>
/// <remarks>Thread-safe and lock-free: concurrent calls of <see cref="Next"/> return distinct, increasing times.</remarks>
[Mutable]
public sealed class LamportClock : ILogicalClock
{
    private long _time;

    /// <summary>Creates a clock that starts at <paramref name="start"/> (its first time is greater).</summary>
    /// <param name="start">The initial time, for example restored from storage; not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is negative.</exception>
    public LamportClock(long start = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        _time = start;
    }

    /// <summary>Gets the last time issued or observed.</summary>
    public long Current => Volatile.Read(ref _time);

    /// <inheritdoc />
    /// <exception cref="OverflowException">The clock would pass <see cref="long.MaxValue"/>.</exception>
    public long Next(long after)
    {
        while (true)
        {
            long current = Volatile.Read(ref _time);
            long next = checked(Math.Max(current, after) + 1);
            if (Interlocked.CompareExchange(ref _time, next, current) == current)
            {
                return next;
            }
        }
    }

    /// <inheritdoc />
    public void Observe(long time)
    {
        while (true)
        {
            long current = Volatile.Read(ref _time);
            if (time <= current || Interlocked.CompareExchange(ref _time, time, current) == current)
            {
                return;
            }
        }
    }
}
