using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Causality;

/// <summary>
/// A hybrid logical time packed into 64 bits, as issued by <see cref="HybridLogicalClock"/>: the high 48 bits
/// are milliseconds since the Unix epoch, the low 16 bits a logical counter that orders events within one
/// millisecond (or while the wall clock lags behind a time already seen).
/// </summary>
/// <remarks>
/// The packed form (<see cref="Packed"/>) orders exactly like (milliseconds, counter), so it can be stored
/// in an <see cref="LWWTimestamp"/> and compared as a plain number. Immutable and thread-safe.
/// </remarks>
[Immutable]
public readonly struct HybridTimestamp : IEquatable<HybridTimestamp>, IComparable<HybridTimestamp>
{
    /// <summary>The number of low bits that hold the logical counter (16).</summary>
    public const int LogicalBits = 16;

    /// <summary>The largest logical counter (65,535); one more carries into the milliseconds.</summary>
    public const int MaxLogical = (1 << LogicalBits) - 1;

    /// <summary>The largest milliseconds value that fits the 48 physical bits.</summary>
    public const long MaxMilliseconds = (1L << (63 - LogicalBits)) - 1;

    /// <summary>Creates a timestamp from its parts.</summary>
    /// <param name="unixMilliseconds">Milliseconds since 1970-01-01T00:00Z; 0 to <see cref="MaxMilliseconds"/>.</param>
    /// <param name="logical">The logical counter; 0 to <see cref="MaxLogical"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A part is out of range.</exception>
    public HybridTimestamp(long unixMilliseconds, int logical)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unixMilliseconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(unixMilliseconds, MaxMilliseconds);
        ArgumentOutOfRangeException.ThrowIfNegative(logical);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(logical, MaxLogical);
        Packed = (unixMilliseconds << LogicalBits) | (uint)logical;
    }

    private HybridTimestamp(long packed) => Packed = packed;

    /// <summary>Gets the 64-bit packed form, which orders like the timestamp.</summary>
    public long Packed { get; }

    /// <summary>Gets the physical part: milliseconds since the Unix epoch.</summary>
    public long UnixMilliseconds => Packed >> LogicalBits;

    /// <summary>Gets the logical counter.</summary>
    public int Logical => (int)(Packed & MaxLogical);

    /// <summary>Gets the physical part as a UTC date and time.</summary>
    public DateTimeOffset WallTime => DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(UnixMilliseconds, 253402300799999L));

    /// <summary>Unpacks a 64-bit time issued by a <see cref="HybridLogicalClock"/>.</summary>
    /// <param name="packed">The packed time; not negative.</param>
    /// <returns>The timestamp.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="packed"/> is negative.</exception>
    public static HybridTimestamp FromPacked(long packed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(packed);
        return new HybridTimestamp(packed);
    }

    /// <summary>Returns <see langword="true"/> when both timestamps are equal.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    public static bool operator ==(HybridTimestamp left, HybridTimestamp right) => left.Equals(right);

    /// <summary>Returns <see langword="true"/> when the timestamps differ.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    public static bool operator !=(HybridTimestamp left, HybridTimestamp right) => !left.Equals(right);

    /// <summary>Returns <see langword="true"/> when <paramref name="left"/> is earlier.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    public static bool operator <(HybridTimestamp left, HybridTimestamp right) => left.Packed < right.Packed;

    /// <summary>Returns <see langword="true"/> when <paramref name="left"/> is later.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    public static bool operator >(HybridTimestamp left, HybridTimestamp right) => left.Packed > right.Packed;

    /// <summary>Returns <see langword="true"/> unless <paramref name="left"/> is later.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    public static bool operator <=(HybridTimestamp left, HybridTimestamp right) => left.Packed <= right.Packed;

    /// <summary>Returns <see langword="true"/> unless <paramref name="left"/> is earlier.</summary>
    /// <param name="left">The first timestamp.</param>
    /// <param name="right">The second timestamp.</param>
    public static bool operator >=(HybridTimestamp left, HybridTimestamp right) => left.Packed >= right.Packed;

    /// <summary>Orders by milliseconds, then logical counter.</summary>
    /// <param name="other">The timestamp to compare with.</param>
    /// <returns>Negative, zero or positive as this timestamp is earlier, equal or later.</returns>
    public int CompareTo(HybridTimestamp other) => Packed.CompareTo(other.Packed);

    /// <summary>Returns <see langword="true"/> when both timestamps are equal.</summary>
    /// <param name="other">The timestamp to compare with.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(HybridTimestamp other) => Packed == other.Packed;

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is HybridTimestamp other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Packed.GetHashCode();

    /// <summary>Returns the timestamp as an ISO 8601 UTC time and the logical counter, e.g. <c>2026-11-21T10:00:00.000Z+3</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{WallTime.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fff}Z+{Logical}");
}
