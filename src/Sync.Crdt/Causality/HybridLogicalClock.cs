using System;
using System.Threading;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Causality;

/// <summary>
/// A hybrid logical clock (Kulkarni et al., 2014): times follow the wall clock while it moves forward and
/// agrees with what other replicas report, and fall back to a logical counter when it does not, so a time is
/// never smaller than one already issued or observed. Times are <see cref="HybridTimestamp"/> values in their
/// packed 64-bit form.
/// </summary>
/// <remarks>
/// <para>The packed form makes the algorithm one comparison: the next time is the largest of the wall clock
/// (with counter 0), the last time plus one, and the time to exceed plus one. A counter overflow carries into
/// the milliseconds, which keeps the order intact.</para>
/// <para>A replica whose wall clock runs ahead pulls every clock that observes its writes ahead by the same
/// amount (that is the price of never going backwards); set <c>maxForwardDrift</c> to refuse remote
/// times too far in the future.</para>
/// <para>Thread-safe and lock-free. The wall clock comes from a <see cref="TimeProvider"/>, so tests can use
/// a fake one.</para>
/// </remarks>
[Mutable]
public sealed class HybridLogicalClock : ILogicalClock
{
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan? _maxForwardDrift;
    private long _last;

    /// <summary>Creates a clock on the system wall clock.</summary>
    public HybridLogicalClock()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates a clock on the given wall clock.</summary>
    /// <param name="timeProvider">The wall clock.</param>
    /// <param name="maxForwardDrift">When set, <see cref="Next"/> and <see cref="Observe"/> reject a time more than this
    /// far ahead of the local wall clock with <see cref="ArgumentOutOfRangeException"/>, instead of adopting it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxForwardDrift"/> is negative.</exception>
    public HybridLogicalClock(TimeProvider timeProvider, TimeSpan? maxForwardDrift = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (maxForwardDrift is { } drift)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(drift, TimeSpan.Zero, nameof(maxForwardDrift));
        }

        _timeProvider = timeProvider;
        _maxForwardDrift = maxForwardDrift;
    }

    /// <summary>Gets the last time issued or observed, unpacked.</summary>
    public HybridTimestamp Current => HybridTimestamp.FromPacked(Volatile.Read(ref _last));

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="after"/> is further ahead of the wall clock than the allowed drift.</exception>
    public long Next(long after)
    {
        long wall = WallTime();
        CheckDrift(after, wall, nameof(after));
        while (true)
        {
            long last = Volatile.Read(ref _last);
            long next = Math.Max(wall, checked(Math.Max(last, after) + 1));
            if (Interlocked.CompareExchange(ref _last, next, last) == last)
            {
                return next;
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="time"/> is further ahead of the wall clock than the allowed drift.</exception>
    public void Observe(long time)
    {
        CheckDrift(time, WallTime(), nameof(time));
        while (true)
        {
            long last = Volatile.Read(ref _last);
            if (time <= last || Interlocked.CompareExchange(ref _last, time, last) == last)
            {
                return;
            }
        }
    }

    private long WallTime()
    {
        long ms = Math.Clamp(_timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), 0, HybridTimestamp.MaxMilliseconds);
        return ms << HybridTimestamp.LogicalBits;
    }

    private void CheckDrift(long time, long wall, string paramName)
    {
        if (_maxForwardDrift is { } drift &&
            (time >> HybridTimestamp.LogicalBits) - (wall >> HybridTimestamp.LogicalBits) > (long)drift.TotalMilliseconds)
        {
            throw new ArgumentOutOfRangeException(
                paramName,
                $"Time {HybridTimestamp.FromPacked(Math.Max(time, 0))} is more than {drift} ahead of the local wall clock.");
        }
    }
}
