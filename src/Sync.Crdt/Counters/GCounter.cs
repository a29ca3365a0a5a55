using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Encoding.Codecs;
using Sync.Crdt.Encoding.Json;

namespace Sync.Crdt.Counters;

/// <summary>
/// A grow-only counter: each replica counts its own increments, and the counter's value is the sum over all
/// replicas. Any <see cref="ReplicaId"/> may increment; replicas join simply by writing (no fixed member list).
/// </summary>
/// <remarks>
/// <para><b>Merge</b> takes the pointwise maximum of the per-replica counts: commutative, associative and
/// idempotent, so replicas converge however often and in whatever order they exchange states. Merging a state
/// this one already includes returns this same instance.</para>
/// <para><b>Overflow</b>: counts are 64-bit and never wrap. <see cref="Increment(ReplicaId, long)"/> throws
/// <see cref="OverflowException"/> (and the receiver is of course unchanged) when the replica's own count or
/// the counter's total would exceed <see cref="long.MaxValue"/>. <see cref="Merge"/> never throws: merging two
/// valid counters can yield a total above <see cref="long.MaxValue"/> (each side below it, but replicas
/// counted different parts), and then <see cref="Value"/> throws <see cref="OverflowException"/> while
/// <see cref="ExactValue"/> (128-bit) still gives the exact total; every further increment throws.</para>
/// <para><b>Deltas</b>: every mutator has an overload with an <c>out</c> delta. The delta is itself a
/// <see cref="GCounter"/> with one entry (the incrementing replica's new count); merging it into any state that
/// has seen this state (or only this replica's earlier increments) gives the mutation's result. Deltas merge
/// with each other (delta groups) and with full states under the same join laws, and may be applied
/// in any order and any number of times. A mutation that changes nothing returns this instance and
/// <see cref="Empty"/> as its delta.</para>
/// <para><b>Equality</b> is structural (the same count for every replica) and hash codes agree with it.
/// <b>Empty value</b>: <see cref="Empty"/>, value 0.</para>
/// <para><b>Representation and complexity</b>: the per-replica counts are a <see cref="VersionVector"/> (two
/// parallel arrays sorted by replica id; a G-counter is exactly a pointwise-max map), and the total is cached.
/// <see cref="Value"/> is O(1); the indexer O(log n); <see cref="Increment(ReplicaId, long)"/> O(n) (it copies
/// the counts, n = replicas that ever incremented, usually tens); <see cref="Merge"/> a linear merge-join,
/// O(n + m), allocating nothing when one side includes the other and otherwise only the result's arrays (the
/// replica array is shared when one side's replicas cover the union).</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
[Immutable]
public sealed partial class GCounter : ICrdt<GCounter>, IReadOnlyCollection<KeyValuePair<ReplicaId, long>>, IWriterAttribution<GCounter>
{
    private readonly VersionVector _counts;
    private readonly Int128 _total;

    private GCounter(VersionVector counts, Int128 total)
    {
        _counts = counts;
        _total = total;
    }

    /// <summary>Gets the counter nobody has incremented: value 0.</summary>
    public static GCounter Empty { get; } = new(VersionVector.Empty, Int128.Zero);

    /// <inheritdoc />
    static JsonConverter<GCounter> ICrdt<GCounter>.JsonConverter => GCounterJsonConverter.Instance;

    /// <inheritdoc />
    static ICrdtValueCodec<GCounter> ICrdt<GCounter>.CreateCodec(CrdtSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return GCounterCodec.Instance;
    }

    /// <summary>Gets the counter's value, the sum of all replicas' counts. O(1).</summary>
    /// <exception cref="OverflowException">The total exceeds <see cref="long.MaxValue"/>, which only a merge of
    /// counters that each fit can produce; read <see cref="ExactValue"/> instead.</exception>
    public long Value => _total <= long.MaxValue
        ? (long)_total
        : throw new OverflowException(string.Create(CultureInfo.InvariantCulture, $"The counter's total {_total} exceeds Int64.MaxValue; read ExactValue."));

    /// <summary>Gets the exact sum of all replicas' counts as a 128-bit integer; never throws. O(1).</summary>
    public Int128 ExactValue => _total;

    /// <summary>Gets the number of replicas with a non-zero count. O(1).</summary>
    public int Count => _counts.Count;

    /// <summary>Gets a value indicating whether no replica has incremented (the value is 0).</summary>
    public bool IsEmpty => _counts.IsEmpty;

    /// <summary>Gets the per-replica counts as a version vector (a replica's count is its "counter"). O(1).</summary>
    /// <remarks>Encoders and replication use this view; it shares the counter's storage.</remarks>
    public VersionVector Counts => _counts;

    /// <summary>Gets how much <paramref name="replica"/> has added (0 when it never incremented). O(log n).</summary>
    /// <param name="replica">The replica.</param>
    /// <returns>The replica's count.</returns>
    public long this[ReplicaId replica] => _counts[replica];

    /// <summary>Adds every replica whose count here exceeds its count in <paramref name="known"/> (an increment
    /// <paramref name="known"/> has not seen). O(n log m).</summary>
    /// <param name="known">The counter to compare with; <see langword="null"/> means the zero counter.</param>
    /// <param name="writers">Receives the replicas.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writers"/> is <see langword="null"/>.</exception>
    public void CollectNewWriters(GCounter? known, ISet<ReplicaId> writers) => _counts.CollectNewWriters(known?._counts, writers);

    /// <summary>Creates a counter from per-replica counts, such as a decoder reads them.</summary>
    /// <param name="counts">The count of each replica; zero counts are skipped.</param>
    /// <returns>The counter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="counts"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A replica is the default id or appears twice.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public static GCounter Create(IEnumerable<KeyValuePair<ReplicaId, long>> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var dots = new List<Dot>();
        foreach (KeyValuePair<ReplicaId, long> entry in counts)
        {
            ReplicaId.ThrowIfDefault(entry.Key, nameof(counts));
            ArgumentOutOfRangeException.ThrowIfNegative(entry.Value, nameof(counts));
            if (entry.Value != 0)
            {
                dots.Add(new Dot(entry.Key, entry.Value, trusted: true));
            }
        }

        return Create(VersionVector.Create(dots));
    }

    /// <summary>Creates a counter whose per-replica counts are the counters of <paramref name="counts"/>.</summary>
    /// <param name="counts">The per-replica counts.</param>
    /// <returns>The counter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="counts"/> is <see langword="null"/>.</exception>
    public static GCounter Create(VersionVector counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return counts.IsEmpty ? Empty : new GCounter(counts, Sum(counts));
    }

    /// <summary>Returns the counter with 1 added by <paramref name="replica"/>. O(n).</summary>
    /// <param name="replica">The incrementing replica.</param>
    /// <returns>The new counter.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="OverflowException">The replica's count or the total would exceed <see cref="long.MaxValue"/>.</exception>
    public GCounter Increment(ReplicaId replica) => Increment(replica, 1, out _);

    /// <summary>Returns the counter with <paramref name="amount"/> added by <paramref name="replica"/>. O(n).</summary>
    /// <param name="replica">The incrementing replica.</param>
    /// <param name="amount">How much to add; not negative. Zero returns this instance.</param>
    /// <returns>The new counter.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative.</exception>
    /// <exception cref="OverflowException">The replica's count or the total would exceed <see cref="long.MaxValue"/>.</exception>
    public GCounter Increment(ReplicaId replica, long amount) => Increment(replica, amount, out _);

    /// <summary>
    /// Returns the counter with <paramref name="amount"/> added by <paramref name="replica"/>, and the delta:
    /// a one-entry counter holding the replica's new count. O(n).
    /// </summary>
    /// <param name="replica">The incrementing replica.</param>
    /// <param name="amount">How much to add; not negative. Zero returns this instance and an empty delta.</param>
    /// <param name="delta">The mutation's delta (see the type's remarks).</param>
    /// <returns>The new counter.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is negative.</exception>
    /// <exception cref="OverflowException">The replica's count or the total would exceed <see cref="long.MaxValue"/>.</exception>
    public GCounter Increment(ReplicaId replica, long amount, out GCounter delta)
    {
        ReplicaId.ThrowIfDefault(replica, nameof(replica));
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        if (amount == 0)
        {
            delta = Empty;
            return this;
        }

        Int128 total = _total + amount;
        if (total > long.MaxValue)
        {
            throw new OverflowException(string.Create(CultureInfo.InvariantCulture, $"Adding {amount} would take the counter's total to {total}, beyond Int64.MaxValue."));
        }

        return Add(replica, amount, out delta);
    }

    /// <summary>
    /// Returns the pointwise maximum of both counters. Returns this instance when it already includes
    /// <paramref name="other"/>, and <paramref name="other"/> when that includes this. O(n + m). Never throws
    /// for a non-null argument (see the type's remarks on overflow).
    /// </summary>
    /// <param name="other">The counter to merge in.</param>
    /// <returns>The merged counter.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public GCounter Merge(GCounter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(this, other) || other.IsEmpty)
        {
            return this;
        }

        if (IsEmpty)
        {
            return other;
        }

        ReadOnlySpan<ReplicaId> thisReplicas = _counts.ReplicaSpan;
        ReadOnlySpan<ReplicaId> otherReplicas = other._counts.ReplicaSpan;
        if (thisReplicas == otherReplicas)
        {
            // Counters derived from one another often share the replica array: a pointwise max of counts, no id comparisons.
            return MergeSameReplicas(other);
        }

        ReadOnlySpan<long> thisCounts = _counts.CounterSpan;
        ReadOnlySpan<long> otherCounts = other._counts.CounterSpan;

        // Pass 1, allocation-free: who is ahead, and how many replicas the union has.
        bool thisAhead = false;
        bool otherAhead = false;
        bool thisHasOwnReplicas = false;
        bool otherHasOwnReplicas = false;
        int union = 0;
        int i = 0;
        int j = 0;
        while (i < thisReplicas.Length && j < otherReplicas.Length)
        {
            int c = thisReplicas[i].CompareTo(otherReplicas[j]);
            if (c == 0)
            {
                long x = thisCounts[i++];
                long y = otherCounts[j++];
                thisAhead |= x > y;
                otherAhead |= y > x;
            }
            else if (c < 0)
            {
                thisHasOwnReplicas = true;
                i++;
            }
            else
            {
                otherHasOwnReplicas = true;
                j++;
            }

            union++;
        }

        thisHasOwnReplicas |= i < thisReplicas.Length;
        otherHasOwnReplicas |= j < otherReplicas.Length;
        union += thisReplicas.Length - i + (otherReplicas.Length - j);
        if (!(otherAhead || otherHasOwnReplicas))
        {
            return this;
        }

        if (!(thisAhead || thisHasOwnReplicas))
        {
            return other;
        }

        // Pass 2: exactly the arrays the result needs; the replica array is shared when one side's replicas cover the union.
        var counts = new long[union];
        ReplicaId[]? replicas = thisHasOwnReplicas && otherHasOwnReplicas ? new ReplicaId[union] : null;
        Int128 total = Int128.Zero;
        int n = 0;
        i = 0;
        j = 0;
        while (i < thisReplicas.Length && j < otherReplicas.Length)
        {
            int c = thisReplicas[i].CompareTo(otherReplicas[j]);
            long count;
            ReplicaId replica;
            if (c == 0)
            {
                replica = thisReplicas[i];
                count = Math.Max(thisCounts[i++], otherCounts[j++]);
            }
            else if (c < 0)
            {
                replica = thisReplicas[i];
                count = thisCounts[i++];
            }
            else
            {
                replica = otherReplicas[j];
                count = otherCounts[j++];
            }

            if (replicas is not null)
            {
                replicas[n] = replica;
            }

            counts[n++] = count;
            total += count;
        }

        for (; i < thisReplicas.Length; i++, n++)
        {
            if (replicas is not null)
            {
                replicas[n] = thisReplicas[i];
            }

            counts[n] = thisCounts[i];
            total += thisCounts[i];
        }

        for (; j < otherReplicas.Length; j++, n++)
        {
            if (replicas is not null)
            {
                replicas[n] = otherReplicas[j];
            }

            counts[n] = otherCounts[j];
            total += otherCounts[j];
        }

        VersionVector merged = replicas is not null
            ? VersionVector.FromSortedUnchecked(replicas, counts)
            : otherHasOwnReplicas ? other._counts.WithCounters(counts) : _counts.WithCounters(counts);
        return new GCounter(merged, total);
    }

    /// <summary>Returns <see langword="true"/> when both counters hold the same count for every replica.</summary>
    /// <param name="other">The counter to compare with.</param>
    /// <returns>Whether the counters are equal.</returns>
    public bool Equals([NotNullWhen(true)] GCounter? other) =>
        ReferenceEquals(this, other) || (other is not null && _total == other._total && _counts.Equals(other._counts));

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as GCounter);

    /// <summary>Returns a hash code consistent with <see cref="Equals(GCounter)"/>. O(n).</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => _counts.GetHashCode();

    /// <summary>Returns the counter as <c>8 [a:5, b:3]</c>: the total, then the per-replica counts.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() =>
        new StringBuilder().Append(_total.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(_counts.ToString()).ToString();

    /// <summary>Returns an allocation-free enumerator over (replica, count) pairs, in replica order.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(_counts.GetEnumerator());

    /// <inheritdoc />
    IEnumerator<KeyValuePair<ReplicaId, long>> IEnumerable<KeyValuePair<ReplicaId, long>>.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Folds the count of a replica that is gone for good into the entry of <paramref name="into"/> (removed-replica
    /// pruning): the value stays the same and the counter no longer names <paramref name="removed"/>. O(n).
    /// </summary>
    /// <param name="removed">The replica that will never increment again and whose every increment this state has merged.</param>
    /// <param name="into">The replica performing the prune, which takes the count into its own entry; exactly one replica
    /// may prune a given <paramref name="removed"/> (two would count it twice).</param>
    /// <returns>The pruned counter; this instance when <paramref name="removed"/> has no entry.</returns>
    /// <remarks>
    /// Pruning is safe only under the protocol in docs/design.md ("Removed-replica pruning"): every replica that receives
    /// the pruned counter (or anything merged from it) must apply <see cref="DropReplica"/> for <paramref name="removed"/> to
    /// every state it merges afterwards that may predate the prune, for as long as such states can arrive; merging a stale
    /// state that still names <paramref name="removed"/> into a pruned one counts the removed replica twice.
    /// </remarks>
    /// <exception cref="ArgumentException">A replica id is the default id, or both are the same replica.</exception>
    /// <exception cref="OverflowException"><paramref name="into"/>'s count would exceed <see cref="long.MaxValue"/>.</exception>
    public GCounter PruneReplica(ReplicaId removed, ReplicaId into)
    {
        ReplicaId.ThrowIfDefault(removed, nameof(removed));
        ReplicaId.ThrowIfDefault(into, nameof(into));
        if (removed == into)
        {
            throw new ArgumentException("A replica cannot be pruned into itself.", nameof(into));
        }

        long count = _counts[removed];
        if (count == 0)
        {
            return this;
        }

        long target = _counts[into];
        if (target > long.MaxValue - count)
        {
            throw new OverflowException(string.Create(CultureInfo.InvariantCulture, $"Folding {count} into replica '{into}' (at {target}) would exceed Int64.MaxValue."));
        }

        return new GCounter(_counts.Without(removed).Advance(into, target + count), _total);
    }

    /// <summary>
    /// Drops the entry of a pruned replica (removed-replica pruning's clean-up): applied to a state that may predate the
    /// prune before it is merged into a pruned one, so the removed replica's count, already folded into another entry,
    /// is not counted twice. O(n).
    /// </summary>
    /// <param name="removed">The pruned replica.</param>
    /// <returns>The counter without <paramref name="removed"/>'s entry; this instance when it has none.</returns>
    /// <exception cref="ArgumentException"><paramref name="removed"/> is the default id.</exception>
    public GCounter DropReplica(ReplicaId removed)
    {
        ReplicaId.ThrowIfDefault(removed, nameof(removed));
        long count = _counts[removed];
        return count == 0 ? this : new GCounter(_counts.Without(removed), _total - count);
    }

    /// <summary>
    /// Adds a positive <paramref name="amount"/> to a valid replica's count without the total's range check
    /// (<see cref="PNCounter"/> checks its own value instead); throws only when the replica's count would overflow.
    /// </summary>
    internal GCounter Add(ReplicaId replica, long amount, out GCounter delta)
    {
        long current = _counts[replica];
        if (current > long.MaxValue - amount)
        {
            throw new OverflowException(string.Create(CultureInfo.InvariantCulture, $"Replica '{replica}' has counted {current}; adding {amount} would exceed Int64.MaxValue."));
        }

        long count = current + amount;
        delta = new GCounter(VersionVector.Empty.Advance(replica, count), count);
        return new GCounter(_counts.Advance(replica, count), _total + amount);
    }

    private GCounter MergeSameReplicas(GCounter other)
    {
        ReadOnlySpan<long> thisCounts = _counts.CounterSpan;
        ReadOnlySpan<long> otherCounts = other._counts.CounterSpan;
        bool thisAhead = false;
        bool otherAhead = false;
        for (int k = 0; k < thisCounts.Length; k++)
        {
            thisAhead |= thisCounts[k] > otherCounts[k];
            otherAhead |= otherCounts[k] > thisCounts[k];
        }

        if (!otherAhead)
        {
            return this;
        }

        if (!thisAhead)
        {
            return other;
        }

        var counts = new long[thisCounts.Length];
        Int128 total = Int128.Zero;
        for (int k = 0; k < counts.Length; k++)
        {
            long count = Math.Max(thisCounts[k], otherCounts[k]);
            counts[k] = count;
            total += count;
        }

        return new GCounter(_counts.WithCounters(counts), total);
    }

    private static Int128 Sum(VersionVector counts)
    {
        Int128 total = Int128.Zero;
        for (int i = 0; i < counts.Count; i++)
        {
            total += counts.CounterAt(i);
        }

        return total;
    }

    /// <summary>An allocation-free enumerator over a counter's (replica, count) pairs, in replica order.</summary>
    [Mutable]
    public struct Enumerator : IEnumerator<KeyValuePair<ReplicaId, long>>
    {
        private VersionVector.Enumerator _inner;

        internal Enumerator(VersionVector.Enumerator inner)
        {
            _inner = inner;
        }

        /// <summary>Gets the current replica and its count.</summary>
        public readonly KeyValuePair<ReplicaId, long> Current
        {
            get
            {
                Dot dot = _inner.Current;
                return new KeyValuePair<ReplicaId, long>(dot.Replica, dot.Counter);
            }
        }

        /// <inheritdoc />
        readonly object IEnumerator.Current => Current;

        /// <summary>Advances to the next replica.</summary>
        /// <returns><see langword="false"/> past the last replica.</returns>
        public bool MoveNext() => _inner.MoveNext();

        /// <summary>Restarts the enumeration.</summary>
        public void Reset() => _inner.Reset();

        /// <summary>Does nothing: the enumerator holds no resources.</summary>
        public readonly void Dispose()
        {
        }
    }
}
