using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json.Serialization;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Encoding.Codecs;
using Sync.Crdt.Encoding.Json;

namespace Sync.Crdt.Registers;

/// <summary>
/// A last-writer-wins register: one value and the <see cref="LWWTimestamp"/> of the write that set it. Of two
/// writes, the one with the later time wins; equal times are broken by the higher replica id, so every replica picks
/// the same winner.
/// </summary>
/// <typeparam name="T">The value type. Values are compared with <see cref="EqualityComparer{T}.Default"/>;
/// <see langword="null"/> is a value like any other (distinct from the empty register).</typeparam>
/// <remarks>
/// <para><b>Merge</b> keeps the write with the greater timestamp: commutative, associative and idempotent.
/// It returns one of the two operands (the winner), so merging never allocates.</para>
/// <para><b>Equal timestamps with different values.</b> A timestamp names one write: the clocks never issue the
/// same time twice at a replica, so two values with the same (time, replica) only arise when an application
/// passes explicit, colliding timestamps to <see cref="Set(LWWTimestamp, T)"/>. So that merge still converges,
/// the tie is then broken by the value itself: for <see cref="string"/> the ordinally greater value wins, for
/// other types implementing <see cref="IComparable{T}"/> or <see cref="IComparable"/> (and nullable forms of
/// them) the greater value by <see cref="Comparer{T}.Default"/> wins (its order must be the same on every
/// replica and agree with equality, as it does for numbers, <see cref="Guid"/>, <see cref="DateTime"/> and the like). For a type with no
/// order such a pair is invalid input: <see cref="Set(LWWTimestamp, T)"/> rejects it with
/// <see cref="ArgumentException"/> when it can see both writes, and a merge that meets it keeps this
/// register's value, so replicas may disagree.</para>
/// <para><b>Clocks.</b> <see cref="Set(ReplicaId, T, ILogicalClock)"/> takes its time from an
/// <see cref="ILogicalClock"/> asked for a time after the register's current one, so a local write always wins
/// over every write this replica has seen, whatever the wall clock says (clocks on devices are often wrong). Call
/// <see cref="ILogicalClock.Observe"/> with remote times as they arrive to keep the clock ahead of other
/// registers too.</para>
/// <para><b>Deltas</b>: every mutator has an overload with an <c>out</c> delta. The delta of a winning write is
/// the new register itself (a register is already O(1) in size); the delta of a write that loses, or changes
/// nothing, is <see cref="Empty"/>, and the mutator returns this instance. Merging the delta into any state that
/// has seen this one gives the same result as merging the mutation's result; deltas obey the join laws and may
/// be applied in any order, any number of times.</para>
/// <para><b>Equality</b>: both empty, or equal timestamps and equal values. <b>Empty value</b>:
/// <see cref="Empty"/>, which loses to every write. All operations are O(1) (plus the value comparer).
/// Immutable and thread-safe (provided <typeparamref name="T"/> values are not mutated).</para>
/// </remarks>
[Immutable]
[SuppressMessage("Naming", "CA1000:Do not declare static members on generic types", Justification = "Empty is the natural bottom value, as in ImmutableArray<T>.Empty.")]
public sealed class LWWRegister<T> : ICrdt<LWWRegister<T>>, IWriterAttribution<LWWRegister<T>>
{
    private static readonly IComparer<T>? TieBreak = CreateTieBreak();

    private readonly T _value;
    private readonly LWWTimestamp _timestamp;
    private readonly bool _hasValue;

    private LWWRegister(T value, LWWTimestamp timestamp, bool hasValue)
    {
        _value = value;
        _timestamp = timestamp;
        _hasValue = hasValue;
    }

    /// <summary>Gets the register nobody has written; every write wins over it.</summary>
    public static LWWRegister<T> Empty { get; } = new(default!, default, hasValue: false);

    /// <inheritdoc />
    static JsonConverter<LWWRegister<T>> ICrdt<LWWRegister<T>>.JsonConverter => LWWRegisterJsonConverter<T>.Instance;

    /// <inheritdoc />
    static ICrdtValueCodec<LWWRegister<T>> ICrdt<LWWRegister<T>>.CreateCodec(CrdtSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LWWRegisterCodec<T>(options);
    }

    /// <summary>Gets a value indicating whether nobody has written the register (it equals <see cref="Empty"/>).</summary>
    public bool IsEmpty => !_hasValue;

    /// <summary>Gets the value of the winning write.</summary>
    /// <exception cref="InvalidOperationException">The register is empty.</exception>
    public T Value => _hasValue ? _value : throw new InvalidOperationException("The register is empty; check IsEmpty or use TryGetValue.");

    /// <summary>Gets the timestamp of the winning write.</summary>
    /// <exception cref="InvalidOperationException">The register is empty.</exception>
    public LWWTimestamp Timestamp => _hasValue ? _timestamp : throw new InvalidOperationException("The register is empty; it has no timestamp.");

    /// <summary>Creates a register holding one write, such as a decoder reads it.</summary>
    /// <param name="timestamp">The write's timestamp.</param>
    /// <param name="value">The value.</param>
    /// <returns>The register.</returns>
    /// <exception cref="ArgumentException"><paramref name="timestamp"/> is the default (invalid) timestamp.</exception>
    public static LWWRegister<T> Create(LWWTimestamp timestamp, T value)
    {
        ReplicaId.ThrowIfDefault(timestamp.Replica, nameof(timestamp));
        return new LWWRegister<T>(value, timestamp, hasValue: true);
    }

    /// <summary>Gets the value when the register has been written.</summary>
    /// <param name="value">The value, or <see langword="default"/> when the register is empty.</param>
    /// <returns>Whether the register has a value.</returns>
    public bool TryGetValue([MaybeNullWhen(false)] out T value)
    {
        value = _value;
        return _hasValue;
    }

    /// <summary>
    /// Writes <paramref name="value"/> as <paramref name="replica"/> at a time from <paramref name="clock"/> that is
    /// after the current write's, so the write always wins here. O(1).
    /// </summary>
    /// <param name="replica">The writing replica.</param>
    /// <param name="value">The new value.</param>
    /// <param name="clock">The replica's clock.</param>
    /// <returns>The new register.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="clock"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="clock"/> returned a time that is negative or not after the current write's.</exception>
    /// <exception cref="OverflowException">The clock cannot move past the current time.</exception>
    public LWWRegister<T> Set(ReplicaId replica, T value, ILogicalClock clock) => Set(replica, value, clock, out _);

    /// <summary>
    /// Writes <paramref name="value"/> as <paramref name="replica"/> at a time from <paramref name="clock"/> that is
    /// after the current write's, and returns the delta (the new register itself). O(1).
    /// </summary>
    /// <param name="replica">The writing replica.</param>
    /// <param name="value">The new value.</param>
    /// <param name="clock">The replica's clock.</param>
    /// <param name="delta">The mutation's delta (see the type's remarks).</param>
    /// <returns>The new register.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="clock"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="clock"/> returned a time that is negative or not after the current write's.</exception>
    /// <exception cref="OverflowException">The clock cannot move past the current time.</exception>
    public LWWRegister<T> Set(ReplicaId replica, T value, ILogicalClock clock, out LWWRegister<T> delta)
    {
        ReplicaId.ThrowIfDefault(replica, nameof(replica));
        ArgumentNullException.ThrowIfNull(clock);
        long after = _hasValue ? _timestamp.Time : 0;
        long time = clock.Next(after);
        if (time <= after)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The clock returned {time}, which is not after {after}; an ILogicalClock must return a later time."));
        }

        delta = new LWWRegister<T>(value, new LWWTimestamp(time, replica), hasValue: true);
        return delta;
    }

    /// <summary>
    /// Applies a write with an explicit timestamp, as a merge would: returns the written register when the write
    /// wins, and this instance when it loses or is already the current write. O(1).
    /// </summary>
    /// <param name="timestamp">The write's timestamp.</param>
    /// <param name="value">The written value.</param>
    /// <returns>The new register.</returns>
    /// <exception cref="ArgumentException"><paramref name="timestamp"/> is the default timestamp, or it equals the
    /// current write's with a different value and <typeparamref name="T"/> has no order to break the tie.</exception>
    public LWWRegister<T> Set(LWWTimestamp timestamp, T value) => Set(timestamp, value, out _);

    /// <summary>
    /// Applies a write with an explicit timestamp, as a merge would, and returns the delta: the written register
    /// when the write wins, otherwise <see cref="Empty"/>. O(1).
    /// </summary>
    /// <param name="timestamp">The write's timestamp.</param>
    /// <param name="value">The written value.</param>
    /// <param name="delta">The mutation's delta (see the type's remarks).</param>
    /// <returns>The new register; this instance when the write loses or is already the current write.</returns>
    /// <exception cref="ArgumentException"><paramref name="timestamp"/> is the default timestamp, or it equals the
    /// current write's with a different value and <typeparamref name="T"/> has no order to break the tie.</exception>
    public LWWRegister<T> Set(LWWTimestamp timestamp, T value, out LWWRegister<T> delta)
    {
        ReplicaId.ThrowIfDefault(timestamp.Replica, nameof(timestamp));
        if (_hasValue && TieBreak is null && timestamp == _timestamp && !EqualityComparer<T>.Default.Equals(value, _value))
        {
            throw new ArgumentException(
                $"Timestamp {timestamp} already names a write of a different value, and {typeof(T).Name} has no order to break the tie.",
                nameof(timestamp));
        }

        var write = new LWWRegister<T>(value, timestamp, hasValue: true);
        if (ReferenceEquals(Merge(write), this))
        {
            delta = Empty;
            return this;
        }

        delta = write;
        return write;
    }

    /// <summary>
    /// Returns the register holding the winning write of the two: the greater timestamp, then (invalid input only)
    /// the greater value. Returns one of the operands, this instance when they are equal. O(1); never throws for
    /// a non-null argument.
    /// </summary>
    /// <param name="other">The register to merge in.</param>
    /// <returns>The winner.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public LWWRegister<T> Merge(LWWRegister<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!other._hasValue)
        {
            return this;
        }

        if (!_hasValue)
        {
            return other;
        }

        int byTimestamp = _timestamp.CompareTo(other._timestamp);
        if (byTimestamp != 0)
        {
            return byTimestamp > 0 ? this : other;
        }

        if (TieBreak is null || EqualityComparer<T>.Default.Equals(_value, other._value))
        {
            return this;
        }

        return TieBreak.Compare(_value, other._value) >= 0 ? this : other;
    }

    /// <summary>Adds the replica of this register's timestamp when its write would win over <paramref name="known"/>'s
    /// (a write <paramref name="known"/> does not hold); a losing or identical write adds nothing. O(1).</summary>
    /// <param name="known">The register to compare with; <see langword="null"/> means the empty register.</param>
    /// <param name="writers">Receives the replica.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writers"/> is <see langword="null"/>.</exception>
    public void CollectNewWriters(LWWRegister<T>? known, ISet<ReplicaId> writers)
    {
        ArgumentNullException.ThrowIfNull(writers);
        if (_hasValue && (known is null || !ReferenceEquals(known.Merge(this), known)))
        {
            writers.Add(_timestamp.Replica);
        }
    }

    /// <summary>Returns <see langword="true"/> when both registers are empty, or hold equal values with equal timestamps.</summary>
    /// <param name="other">The register to compare with.</param>
    /// <returns>Whether the registers are equal.</returns>
    public bool Equals([NotNullWhen(true)] LWWRegister<T>? other) =>
        ReferenceEquals(this, other) ||
        (other is not null && _hasValue == other._hasValue &&
         (!_hasValue || (_timestamp == other._timestamp && EqualityComparer<T>.Default.Equals(_value, other._value))));

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as LWWRegister<T>);

    /// <summary>Returns a hash code consistent with <see cref="Equals(LWWRegister{T})"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() =>
        _hasValue ? HashCode.Combine(_timestamp, _value is null ? 0 : EqualityComparer<T>.Default.GetHashCode(_value)) : 0;

    /// <summary>Returns the register as <c>value @ time@replica</c>, or <c>(empty)</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() =>
        _hasValue ? string.Create(CultureInfo.InvariantCulture, $"{_value} @ {_timestamp}") : "(empty)";

    private static IComparer<T>? CreateTieBreak()
    {
        if (typeof(T) == typeof(string))
        {
            return (IComparer<T>)(object)StringComparer.Ordinal;
        }

        Type type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return typeof(IComparable<T>).IsAssignableFrom(type) || typeof(IComparable).IsAssignableFrom(type) ? Comparer<T>.Default : null;
    }
}
