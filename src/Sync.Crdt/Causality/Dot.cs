using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Causality;

/// <summary>
/// One event in the causal history of replicated state: the <see cref="Counter"/>-th event (1-based) that
/// replica <see cref="Replica"/> generated. Dots tag writes so that merges can tell "seen and removed"
/// from "never seen".
/// </summary>
/// <remarks>
/// A valid dot has a non-default replica and a counter of at least 1. Dots order by replica (ordinal) and
/// then by counter. This type is an immutable 16-byte value and thread-safe.
/// </remarks>
[Immutable]
public readonly struct Dot : IEquatable<Dot>, IComparable<Dot>
{
    /// <summary>Creates a dot.</summary>
    /// <param name="replica">The replica that generated the event.</param>
    /// <param name="counter">The event's sequence number at that replica, starting at 1.</param>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="counter"/> is less than 1.</exception>
    public Dot(ReplicaId replica, long counter)
    {
        ReplicaId.ThrowIfDefault(replica, nameof(replica));
        ArgumentOutOfRangeException.ThrowIfLessThan(counter, 1L);
        Replica = replica;
        Counter = counter;
    }

    /// <summary>Gets the replica that generated the event.</summary>
    public ReplicaId Replica { get; }

    /// <summary>Gets the event's sequence number at <see cref="Replica"/> (1 for its first event).</summary>
    public long Counter { get; }

    /// <summary>Returns <see langword="true"/> when both dots name the same event.</summary>
    /// <param name="left">The first dot.</param>
    /// <param name="right">The second dot.</param>
    public static bool operator ==(Dot left, Dot right) => left.Equals(right);

    /// <summary>Returns <see langword="true"/> when the dots name different events.</summary>
    /// <param name="left">The first dot.</param>
    /// <param name="right">The second dot.</param>
    public static bool operator !=(Dot left, Dot right) => !left.Equals(right);

    /// <summary>Returns <see langword="true"/> when <paramref name="left"/> orders before <paramref name="right"/>.</summary>
    /// <param name="left">The first dot.</param>
    /// <param name="right">The second dot.</param>
    public static bool operator <(Dot left, Dot right) => left.CompareTo(right) < 0;

    /// <summary>Returns <see langword="true"/> when <paramref name="left"/> orders after <paramref name="right"/>.</summary>
    /// <param name="left">The first dot.</param>
    /// <param name="right">The second dot.</param>
    public static bool operator >(Dot left, Dot right) => left.CompareTo(right) > 0;

    /// <summary>Returns <see langword="true"/> unless <paramref name="left"/> orders after <paramref name="right"/>.</summary>
    /// <param name="left">The first dot.</param>
    /// <param name="right">The second dot.</param>
    public static bool operator <=(Dot left, Dot right) => left.CompareTo(right) <= 0;

    /// <summary>Returns <see langword="true"/> unless <paramref name="left"/> orders before <paramref name="right"/>.</summary>
    /// <param name="left">The first dot.</param>
    /// <param name="right">The second dot.</param>
    public static bool operator >=(Dot left, Dot right) => left.CompareTo(right) >= 0;

    /// <summary>Orders by replica (ordinal), then by counter.</summary>
    /// <param name="other">The dot to compare with.</param>
    /// <returns>Negative, zero or positive as this dot orders before, equal to or after <paramref name="other"/>.</returns>
    public int CompareTo(Dot other)
    {
        int byReplica = Replica.CompareTo(other.Replica);
        return byReplica != 0 ? byReplica : Counter.CompareTo(other.Counter);
    }

    /// <summary>Returns <see langword="true"/> when both dots name the same event.</summary>
    /// <param name="other">The dot to compare with.</param>
    /// <returns>Whether the dots are equal.</returns>
    public bool Equals(Dot other) => Counter == other.Counter && Replica.Equals(other.Replica);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Dot other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Replica, Counter);

    /// <summary>Returns the dot as <c>replica:counter</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Replica}:{Counter}");

    /// <summary>Deconstructs the dot into its replica and counter.</summary>
    /// <param name="replica">The replica.</param>
    /// <param name="counter">The counter.</param>
    public void Deconstruct(out ReplicaId replica, out long counter)
    {
        replica = Replica;
        counter = Counter;
    }

    /// <summary>Creates a dot from parts the caller has already validated.</summary>
    internal Dot(ReplicaId replica, long counter, bool trusted)
    {
        _ = trusted;
        Replica = replica;
        Counter = counter;
    }
}
