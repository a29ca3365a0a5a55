namespace Sync.Crdt.Causality;

/// <summary>
/// A source of monotonically increasing 64-bit times for last-writer-wins writes. Implementations are
/// mutable, shared by all writes of one replica, and must be thread-safe.
/// </summary>
/// <remarks>
/// Wall clocks alone are not enough: device clocks drift and can be set back, so a write made after another
/// could lose to it. The clocks Sync.Crdt ships never go backwards and always move past every time they
/// have seen: <see cref="LamportClock"/> (a pure counter) and <see cref="HybridLogicalClock"/> (wall time
/// when clocks agree, a logical counter when they do not).
/// </remarks>
public interface ILogicalClock
{
    /// <summary>
    /// Returns a time greater than <paramref name="after"/>, than every time this clock returned before and
    /// than every time passed to <see cref="Observe"/>.
    /// </summary>
    /// <param name="after">A time the result must exceed, typically the newest time the written value holds, so a
    /// local write always wins over what this replica has already seen.</param>
    /// <returns>The new time; never negative.</returns>
    /// <exception cref="System.OverflowException">The clock cannot move past <paramref name="after"/>.</exception>
    long Next(long after);

    /// <summary>Records a time seen in a remote write so the next local time exceeds it.</summary>
    /// <param name="time">The remote time.</param>
    void Observe(long time);
}
