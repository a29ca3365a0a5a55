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

namespace Sync.Crdt.Counters;

/// <summary>
/// A counter that goes up and down: two <see cref="GCounter"/>s, one for increments and one for decrements;
/// the value is their difference. Any <see cref="ReplicaId"/> may write (no fixed member list).
/// </summary>
/// <remarks>
/// <para><b>Merge</b> merges both halves pointwise (maximum per replica): commutative, associative and
/// idempotent. Merging a state this one already includes returns this same instance.</para>
/// <para><b>Overflow</b>: each replica's cumulative increments and cumulative decrements are 64-bit counts,
/// and the value is a 64-bit integer; nothing wraps. A mutator throws <see cref="OverflowException"/> (the
/// receiver unchanged) when the replica's count would exceed <see cref="long.MaxValue"/> or when the resulting
/// value would leave the <see cref="long"/> range. The totals are exact 128-bit sums, so a value is correct
/// even when the increments alone exceed <see cref="long.MaxValue"/>. <see cref="Merge"/> never throws; when
/// a merge of two valid counters yields a value outside the <see cref="long"/> range, <see cref="Value"/>
/// throws <see cref="OverflowException"/> and <see cref="ExactValue"/> gives it exactly.</para>
/// <para><b>Deltas</b>: every mutator has an overload with an <c>out</c> delta: a <see cref="PNCounter"/> with
/// a single entry in one half (the replica's new increment or decrement count). Merged into any state that has
/// seen this one, it gives the mutation's result; deltas merge with each other and with full states under the
/// same join laws, in any order and any number of times. A mutation that changes nothing returns this instance
/// and <see cref="Empty"/> as its delta.</para>
/// <para><b>Equality</b> is structural (both halves equal); note that two counters with the same value can
/// differ (3 − 1 and 2 − 0). <b>Empty value</b>: <see cref="Empty"/>, value 0.</para>
/// <para><b>Complexity</b>: <see cref="Value"/> O(1); mutators O(n) for n writing replicas; <see cref="Merge"/>
/// O(n + m). Immutable and thread-safe.</para>
/// </remarks>
[Immutable]
public sealed partial class PNCounter : ICrdt<PNCounter>, IWriterAttribution<PNCounter>
{
    private readonly GCounter _increments;
    private readonly GCounter _decrements;

    private PNCounter(GCounter increments, GCounter decrements)
    {
        _increments = increments;
        _decrements = decrements;
    }

    /// <summary>Gets the counter nobody has written: value 0.</summary>
    public static PNCounter Empty { get; } = new(GCounter.Empty, GCounter.Empty);

    /// <summary>Adds every replica with an increment or a decrement <paramref name="known"/> has not seen. O(n log m).</summary>
    /// <param name="known">The counter to compare with; <see langword="null"/> means the zero counter.</param>
    /// <param name="writers">Receives the replicas.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writers"/> is <see langword="null"/>.</exception>
    public void CollectNewWriters(PNCounter? known, ISet<ReplicaId> writers)
    {
        _increments.CollectNewWriters(known?._increments, writers);
        _decrements.CollectNewWriters(known?._decrements, writers);
    }

    /// <inheritdoc />
    static JsonConverter<PNCounter> ICrdt<PNCounter>.JsonConverter => PNCounterJsonConverter.Instance;

    /// <inheritdoc />
    static ICrdtValueCodec<PNCounter> ICrdt<PNCounter>.CreateCodec(CrdtSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return PNCounterCodec.Instance;
    }

    /// <summary>Gets the value: all increments minus all decrements. O(1).</summary>
    /// <exception cref="OverflowException">The value is outside the <see cref="long"/> range, which only a merge
    /// can produce; read <see cref="ExactValue"/> instead.</exception>
    public long Value
    {
        get
        {
            Int128 value = ExactValue;
            return value >= long.MinValue && value <= long.MaxValue
                ? (long)value
                : throw new OverflowException(string.Create(CultureInfo.InvariantCulture, $"The counter's value {value} is outside the Int64 range; read ExactValue."));
        }
    }

    /// <summary>Gets the exact value as a 128-bit integer; never throws. O(1).</summary>
    public Int128 ExactValue => _increments.ExactValue - _decrements.ExactValue;

    /// <summary>Gets the increments half: what each replica has added.</summary>
    public GCounter Increments => _increments;

    /// <summary>Gets the decrements half: what each replica has subtracted.</summary>
    public GCounter Decrements => _decrements;

    /// <summary>Gets a value indicating whether nobody has written (both halves empty).</summary>
    public bool IsEmpty => _increments.IsEmpty && _decrements.IsEmpty;

    /// <summary>Creates a counter from its two halves, such as a decoder reads them.</summary>
    /// <param name="increments">What each replica has added.</param>
    /// <param name="decrements">What each replica has subtracted.</param>
    /// <returns>The counter.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public static PNCounter Create(GCounter increments, GCounter decrements)
    {
        ArgumentNullException.ThrowIfNull(increments);
        ArgumentNullException.ThrowIfNull(decrements);
        return increments.IsEmpty && decrements.IsEmpty ? Empty : new PNCounter(increments, decrements);
    }

    /// <summary>Returns the counter with 1 added by <paramref name="replica"/>. O(n).</summary>
    /// <param name="replica">The writing replica.</param>
    /// <returns>The new counter.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="OverflowException">The replica's increment count would exceed <see cref="long.MaxValue"/>,
    /// or the value would leave the <see cref="long"/> range.</exception>
    public PNCounter Increment(ReplicaId replica) => Increment(replica, 1, out _);

    /// <summary>Returns the counter with <paramref name="amount"/> added by <paramref name="replica"/>. O(n).</summary>
    /// <param name="replica">The writing replica.</param>
    /// <param name="amount">How much to add; not negative. Zero returns this instance.</param>
    /// <returns>The new counter.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative.</exception>
    /// <exception cref="OverflowException">The replica's increment count would exceed <see cref="long.MaxValue"/>,
    /// or the value would leave the <see cref="long"/> range.</exception>
    public PNCounter Increment(ReplicaId replica, long amount) => Increment(replica, amount, out _);

    /// <summary>Returns the counter with <paramref name="amount"/> added by <paramref name="replica"/>, and its delta. O(n).</summary>
    /// <param name="replica">The writing replica.</param>
    /// <param name="amount">How much to add; not negative. Zero returns this instance and an empty delta.</param>
    /// <param name="delta">The mutation's delta (see the type's remarks).</param>
    /// <returns>The new counter.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative.</exception>
    /// <exception cref="OverflowException">The replica's increment count would exceed <see cref="long.MaxValue"/>,
    /// or the value would leave the <see cref="long"/> range.</exception>
    public PNCounter Increment(ReplicaId replica, long amount, out PNCounter delta) =>
        Apply(replica, amount, negative: false, out delta);

    /// <summary>Returns the counter with 1 subtracted by <paramref name="replica"/>. O(n).</summary>
    /// <param name="replica">The writing replica.</param>
    /// <returns>The new counter.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="OverflowException">The replica's decrement count would exceed <see cref="long.MaxValue"/>,
    /// or the value would leave the <see cref="long"/> range.</exception>
    public PNCounter Decrement(ReplicaId replica) => Decrement(replica, 1, out _);

    /// <summary>Returns the counter with <paramref name="amount"/> subtracted by <paramref name="replica"/>. O(n).</summary>
    /// <param name="replica">The writing replica.</param>
    /// <param name="amount">How much to subtract; not negative. Zero returns this instance.</param>
    /// <returns>The new counter.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative.</exception>
    /// <exception cref="OverflowException">The replica's decrement count would exceed <see cref="long.MaxValue"/>,
    /// or the value would leave the <see cref="long"/> range.</exception>
    public PNCounter Decrement(ReplicaId replica, long amount) => Decrement(replica, amount, out _);

    /// <summary>Returns the counter with <paramref name="amount"/> subtracted by <paramref name="replica"/>, and its delta. O(n).</summary>
    /// <param name="replica">The writing replica.</param>
    /// <param name="amount">How much to subtract; not negative. Zero returns this instance and an empty delta.</param>
    /// <param name="delta">The mutation's delta (see the type's remarks).</param>
    /// <returns>The new counter.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative.</exception>
    /// <exception cref="OverflowException">The replica's decrement count would exceed <see cref="long.MaxValue"/>,
    /// or the value would leave the <see cref="long"/> range.</exception>
    public PNCounter Decrement(ReplicaId replica, long amount, out PNCounter delta) =>
        Apply(replica, amount, negative: true, out delta);

    /// <summary>
    /// Folds both halves of a replica that is gone for good into the entries of <paramref name="into"/> (see
    /// <see cref="GCounter.PruneReplica(ReplicaId, ReplicaId)"/> for the protocol that makes it safe); the value stays the same. O(n).
    /// </summary>
    /// <param name="removed">The replica that will never write again and whose every write this state has merged.</param>
    /// <param name="into">The one replica performing the prune.</param>
    /// <returns>The pruned counter; this instance when <paramref name="removed"/> has no entry.</returns>
    /// <exception cref="ArgumentException">A replica id is the default id, or both are the same replica.</exception>
    /// <exception cref="OverflowException">One of <paramref name="into"/>'s counts would exceed <see cref="long.MaxValue"/>.</exception>
    public PNCounter PruneReplica(ReplicaId removed, ReplicaId into)
    {
        GCounter increments = _increments.PruneReplica(removed, into);
        GCounter decrements = _decrements.PruneReplica(removed, into);
        return ReferenceEquals(increments, _increments) && ReferenceEquals(decrements, _decrements) ? this : new PNCounter(increments, decrements);
    }

    /// <summary>Drops both entries of a pruned replica from a state that may predate the prune (see <see cref="GCounter.DropReplica"/>). O(n).</summary>
    /// <param name="removed">The pruned replica.</param>
    /// <returns>The counter without <paramref name="removed"/>'s entries; this instance when it has none.</returns>
    /// <exception cref="ArgumentException"><paramref name="removed"/> is the default id.</exception>
    public PNCounter DropReplica(ReplicaId removed)
    {
        GCounter increments = _increments.DropReplica(removed);
        GCounter decrements = _decrements.DropReplica(removed);
        return ReferenceEquals(increments, _increments) && ReferenceEquals(decrements, _decrements) ? this : new PNCounter(increments, decrements);
    }

    /// <summary>
    /// Merges both halves pointwise. Returns this instance when it already includes <paramref name="other"/>,
    /// and <paramref name="other"/> when that includes this. O(n + m); never throws for a non-null argument.
    /// </summary>
    /// <param name="other">The counter to merge in.</param>
    /// <returns>The merged counter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public PNCounter Merge(PNCounter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        GCounter increments = _increments.Merge(other._increments);
        GCounter decrements = _decrements.Merge(other._decrements);
        if (ReferenceEquals(increments, _increments) && ReferenceEquals(decrements, _decrements))
        {
            return this;
        }

        if (ReferenceEquals(increments, other._increments) && ReferenceEquals(decrements, other._decrements))
        {
            return other;
        }

        return new PNCounter(increments, decrements);
    }

    /// <summary>Returns <see langword="true"/> when both halves are equal.</summary>
    /// <param name="other">The counter to compare with.</param>
    /// <returns>Whether the counters are equal.</returns>
    public bool Equals([NotNullWhen(true)] PNCounter? other) =>
        ReferenceEquals(this, other) ||
        (other is not null && _increments.Equals(other._increments) && _decrements.Equals(other._decrements));

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as PNCounter);

    /// <summary>Returns a hash code consistent with <see cref="Equals(PNCounter)"/>. O(n).</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(_increments, _decrements);

    /// <summary>Returns the counter as <c>value (+[a:5] -[b:2])</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{ExactValue} (+{_increments.Counts} -{_decrements.Counts})");

    private PNCounter Apply(ReplicaId replica, long amount, bool negative, out PNCounter delta)
    {
        ReplicaId.ThrowIfDefault(replica, nameof(replica));
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        if (amount == 0)
        {
            delta = Empty;
            return this;
        }

        Int128 value = negative ? ExactValue - amount : ExactValue + amount;
        if (value < long.MinValue || value > long.MaxValue)
        {
            throw new OverflowException(string.Create(CultureInfo.InvariantCulture, $"The counter's value would become {value}, outside the Int64 range."));
        }

        if (negative)
        {
            GCounter decrements = _decrements.Add(replica, amount, out GCounter decrementDelta);
            delta = new PNCounter(GCounter.Empty, decrementDelta);
            return new PNCounter(_increments, decrements);
        }

        GCounter increments = _increments.Add(replica, amount, out GCounter incrementDelta);
        delta = new PNCounter(incrementDelta, GCounter.Empty);
        return new PNCounter(increments, _decrements);
    }
}
