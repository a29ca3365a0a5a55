using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Causality;

/// <summary>
/// The ordering key of a last-writer-wins write: a 64-bit time from an <see cref="ILogicalClock"/> and the
/// replica that wrote. Later times win; equal times are broken by the higher replica id (ordinal), so every
/// replica picks the same winner whatever the order in which writes arrive.
/// </summary>
/// <remarks>
/// The meaning of <see cref="Time"/> depends on the clock: a Lamport counter (<see cref="LamportClock"/>), a
/// packed hybrid logical time (<see cref="HybridLogicalClock"/>, see <see cref="HybridTimestamp"/>), or any
/// monotonic 64-bit value the application supplies. Replicas that write the same value must use the same
/// kind of clock. Immutable and thread-safe.
/// </remarks>
[Immutable]
public readonly struct LWWTimestamp : IEquatable<LWWTimestamp>, IComparable<LWWTimestamp>
{
    /// <summary>Creates a timestamp.</summary>
    /// <param name="time">The clock time; not negative.</param>
    /// <param name="replica">The writing replica.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="time"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    public LWWTimestamp(long time, ReplicaId replica)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(time);
        ReplicaId.ThrowIfDefault(replica, nameof(replica));
        Time = time;
        Replica = replica;
    }

    /// <summary>Gets the clock time.</summary>
    public long Time { get; }

    /// <summary>Gets the replica that wrote; breaks ties between equal times (higher wins).</summary>
    public ReplicaId Replica { get; }

    /// <summary>Returns <see langword="true"/> when both timestamps are equal.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    public static bool operator ==(LWWTimestamp left, LWWTimestamp right) => left.Equals(right);

    /// <summary>Returns <see langword="true"/> when the timestamps differ.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    public static bool operator !=(LWWTimestamp left, LWWTimestamp right) => !left.Equals(right);

    /// <summary>Returns <see langword="true"/> when <paramref name="left"/> loses to <paramref name="right"/>.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    public static bool operator <(LWWTimestamp left, LWWTimestamp right) => left.CompareTo(right) < 0;

    /// <summary>Returns <see langword="true"/> when <paramref name="left"/> wins over <paramref name="right"/>.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    public static bool operator >(LWWTimestamp left, LWWTimestamp right) => left.CompareTo(right) > 0;

    /// <summary>Returns <see langword="true"/> unless <paramref name="left"/> wins over <paramref name="right"/>.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    public static bool operator <=(LWWTimestamp left, LWWTimestamp right) => left.CompareTo(right) <= 0;

    /// <summary>Returns <see langword="true"/> unless <paramref name="left"/> loses to <paramref name="right"/>.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    public static bool operator >=(LWWTimestamp left, LWWTimestamp right) => left.CompareTo(right) >= 0;

    /// <summary>Orders by time, then by replica id (ordinal); the greater timestamp wins a last-writer-wins merge.</summary>
    /// <param name="other">The timestamp to compare with.</param>
    /// <returns>Negative, zero or positive as this timestamp loses to, equals or wins over <paramref name="other"/>.</returns>
    public int CompareTo(LWWTimestamp other)
    {
        int byTime = Time.CompareTo(other.Time);
        return byTime != 0 ? byTime : Replica.CompareTo(other.Replica);
    }

    /// <summary>Returns <see langword="true"/> when time and replica are equal.</summary>
    /// <param name="other">The timestamp to compare with.</param>
    /// <returns>Whether the timestamps are equal.</returns>
    public bool Equals(LWWTimestamp other) => Time == other.Time && Replica.Equals(other.Replica);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is LWWTimestamp other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Time, Replica);

    /// <summary>Returns the timestamp as <c>time@replica</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Time}@{Replica}");
}
