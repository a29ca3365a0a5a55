using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Causality;

/// <summary>
/// An immutable version vector: for each replica, how many of its events (dots 1..n) a causal history
/// contains. Version vectors detect whether two states are ordered or concurrent.
/// </summary>
/// <remarks>
/// <para><b>Merge</b> is the pointwise maximum: commutative, associative and idempotent, so version vectors
/// are themselves a join semilattice (<see cref="IMergeable{T}"/>). Merging a dominated vector returns the
/// same instance.</para>
/// <para><b>Equality</b> is structural: two vectors are equal when every replica has the same counter
/// (a missing replica counts as 0, and is never stored). Hash codes agree with equality.</para>
/// <para><b>Representation and complexity</b>: entries are kept in two parallel arrays sorted by replica id.
/// Lookup is O(log n); <see cref="Increment(ReplicaId)"/> and <see cref="Advance"/> copy the arrays, O(n);
/// <see cref="Merge"/> and <see cref="Compare"/> are a single linear merge-join, O(n + m), with no
/// allocation when one side dominates. Sorted arrays are compact and fast for the usual tens of replicas and
/// stay correct (if linear per update) for thousands.</para>
/// <para>Enumeration yields one <see cref="Dot"/> per replica, the latest event seen from it, in replica
/// order, through an allocation-free struct enumerator.</para>
/// <para>This type is immutable and thread-safe.</para>
/// </remarks>
[Immutable]
public sealed partial class VersionVector : IMergeable<VersionVector>, IEquatable<VersionVector>, IReadOnlyCollection<Dot>, IWriterAttribution<VersionVector>
{
    /// <summary>One-element counters arrays for the counters 0 to 15, shared by one-entry vectors (never written).</summary>
    private static readonly long[][] SharedCounters = CreateSharedCounters();

    private readonly ReplicaId[] _replicas;
    private readonly long[] _counters;

    private VersionVector(ReplicaId[] replicas, long[] counters)
    {
        _replicas = replicas;
        _counters = counters;
    }

    /// <summary>Gets the empty vector: no events from any replica.</summary>
    public static VersionVector Empty { get; } = new([], []);

    /// <summary>Gets the number of replicas with a non-zero counter. O(1).</summary>
    public int Count => _replicas.Length;

    /// <summary>Gets a value indicating whether the vector holds no events.</summary>
    public bool IsEmpty => _replicas.Length == 0;

    /// <summary>Gets how many events of <paramref name="replica"/> the history contains (0 when none). O(log n).</summary>
    /// <param name="replica">The replica.</param>
    /// <returns>The counter.</returns>
    public long this[ReplicaId replica]
    {
        get
        {
            int index = IndexOf(replica);
            return index >= 0 ? _counters[index] : 0;
        }
    }

    /// <summary>Creates a vector from (replica, counter) entries, given as the latest dot of each replica.</summary>
    /// <param name="entries">At most one entry per replica, in any order.</param>
    /// <returns>The vector.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entries"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two entries name the same replica, or an entry is a default dot.</exception>
    public static VersionVector Create(IEnumerable<Dot> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var list = new List<Dot>(entries);
        if (list.Count == 0)
        {
            return Empty;
        }

        list.Sort();
        var replicas = new ReplicaId[list.Count];
        var counters = new long[list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            Dot dot = list[i];
            if (dot.Replica.IsDefault)
            {
                throw new ArgumentException("A version vector entry must name a replica; found a default Dot.", nameof(entries));
            }

            if (i > 0 && dot.Replica == list[i - 1].Replica)
            {
                throw new ArgumentException($"Replica '{dot.Replica}' appears more than once.", nameof(entries));
            }

            replicas[i] = dot.Replica;
            counters[i] = dot.Counter;
        }

        return new VersionVector(replicas, counters);
    }

    /// <summary>Creates a vector from (replica, counter) entries; see <see cref="Create(IEnumerable{Dot})"/>.</summary>
    /// <param name="entries">At most one entry per replica, in any order.</param>
    /// <returns>The vector.</returns>
    /// <exception cref="ArgumentException">Two entries name the same replica, or an entry is a default dot.</exception>
    public static VersionVector Create(params ReadOnlySpan<Dot> entries) => Create((IEnumerable<Dot>)entries.ToArray());

    /// <summary>Returns a vector with one more event from <paramref name="replica"/>. O(n).</summary>
    /// <param name="replica">The replica that generates the event.</param>
    /// <returns>The new vector.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="OverflowException">The replica's counter is already <see cref="long.MaxValue"/>.</exception>
    public VersionVector Increment(ReplicaId replica) => Increment(replica, out _);

    /// <summary>Returns a vector with one more event from <paramref name="replica"/>, and that event's dot. O(n).</summary>
    /// <param name="replica">The replica that generates the event.</param>
    /// <param name="dot">The new event.</param>
    /// <returns>The new vector.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="OverflowException">The replica's counter is already <see cref="long.MaxValue"/>.</exception>
    public VersionVector Increment(ReplicaId replica, out Dot dot)
    {
        ReplicaId.ThrowIfDefault(replica, nameof(replica));
        long next = checked(this[replica] + 1);
        dot = new Dot(replica, next, trusted: true);
        return WithCounter(replica, next);
    }

    /// <summary>
    /// Returns a vector whose counter for <paramref name="replica"/> is at least <paramref name="counter"/>
    /// (the pointwise maximum with a one-entry vector). Returns this instance when it already is. O(n).
    /// </summary>
    /// <param name="replica">The replica.</param>
    /// <param name="counter">The lowest counter the result must have; at least 1.</param>
    /// <returns>The advanced vector.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="counter"/> is less than 1.</exception>
    public VersionVector Advance(ReplicaId replica, long counter)
    {
        ReplicaId.ThrowIfDefault(replica, nameof(replica));
        ArgumentOutOfRangeException.ThrowIfLessThan(counter, 1L);
        return this[replica] >= counter ? this : WithCounter(replica, counter);
    }

    /// <summary>Returns <see langword="true"/> when the history contains <paramref name="dot"/>. O(log n).</summary>
    /// <param name="dot">The event.</param>
    /// <returns>Whether the event is included.</returns>
    public bool Contains(Dot dot) => dot.Counter <= this[dot.Replica];

    /// <summary>Adds every replica whose counter here exceeds its counter in <paramref name="known"/>. O(n log m).</summary>
    /// <param name="known">The vector to compare with; <see langword="null"/> means the empty vector.</param>
    /// <param name="writers">Receives the replicas.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writers"/> is <see langword="null"/>.</exception>
    public void CollectNewWriters(VersionVector? known, ISet<ReplicaId> writers)
    {
        ArgumentNullException.ThrowIfNull(writers);
        for (int i = 0; i < _replicas.Length; i++)
        {
            if (known is null || _counters[i] > known[_replicas[i]])
            {
                writers.Add(_replicas[i]);
            }
        }
    }

    /// <summary>
    /// Returns the pointwise maximum of both vectors: the smallest history that includes both. Returns this
    /// instance when it already dominates <paramref name="other"/>, and <paramref name="other"/> when that
    /// dominates this. O(n + m).
    /// </summary>
    /// <param name="other">The vector to merge in.</param>
    /// <returns>The merged vector.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public VersionVector Merge(VersionVector other)
    {
        ArgumentNullException.ThrowIfNull(other);
        switch (Compare(other))
        {
            case VectorOrdering.Equal:
            case VectorOrdering.After:
                return this;
            case VectorOrdering.Before:
                return other;
        }

        return Combine(other, max: true);
    }

    /// <summary>
    /// Returns the pointwise minimum of both vectors: the events both histories contain. Replication uses it
    /// to find what every peer has seen. O(n + m).
    /// </summary>
    /// <param name="other">The other vector.</param>
    /// <returns>The common history.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public VersionVector Meet(VersionVector other)
    {
        ArgumentNullException.ThrowIfNull(other);
        switch (Compare(other))
        {
            case VectorOrdering.Equal:
            case VectorOrdering.Before:
                return this;
            case VectorOrdering.After:
                return other;
        }

        return Combine(other, max: false);
    }

    /// <summary>Compares two causal histories. O(n + m), allocation-free.</summary>
    /// <param name="other">The vector to compare with.</param>
    /// <returns>
    /// <see cref="VectorOrdering.Before"/> when this history is strictly included in <paramref name="other"/>,
    /// <see cref="VectorOrdering.After"/> when it strictly includes it, <see cref="VectorOrdering.Equal"/> or
    /// <see cref="VectorOrdering.Concurrent"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public VectorOrdering Compare(VersionVector other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(this, other))
        {
            return VectorOrdering.Equal;
        }

        bool thisAhead = false;
        bool otherAhead = false;
        ReplicaId[] a = _replicas;
        ReplicaId[] b = other._replicas;
        int i = 0;
        int j = 0;
        while (i < a.Length && j < b.Length)
        {
            int c = a[i].CompareTo(b[j]);
            if (c == 0)
            {
                long x = _counters[i++];
                long y = other._counters[j++];
                thisAhead |= x > y;
                otherAhead |= y > x;
            }
            else if (c < 0)
            {
                thisAhead = true;
                i++;
            }
            else
            {
                otherAhead = true;
                j++;
            }

            if (thisAhead && otherAhead)
            {
                return VectorOrdering.Concurrent;
            }
        }

        thisAhead |= i < a.Length;
        otherAhead |= j < b.Length;
        return (thisAhead, otherAhead) switch
        {
            (false, false) => VectorOrdering.Equal,
            (true, false) => VectorOrdering.After,
            (false, true) => VectorOrdering.Before,
            _ => VectorOrdering.Concurrent,
        };
    }

    /// <summary>Returns <see langword="true"/> when this history includes every event of <paramref name="other"/> (after or equal).</summary>
    /// <param name="other">The vector to compare with.</param>
    /// <returns>Whether this vector dominates the other.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public bool Dominates(VersionVector other) => Compare(other) is VectorOrdering.After or VectorOrdering.Equal;

    /// <summary>Returns <see langword="true"/> when each history holds an event the other lacks.</summary>
    /// <param name="other">The vector to compare with.</param>
    /// <returns>Whether the vectors are concurrent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public bool IsConcurrentWith(VersionVector other) => Compare(other) == VectorOrdering.Concurrent;

    /// <summary>Returns <see langword="true"/> when both vectors hold the same events.</summary>
    /// <param name="other">The vector to compare with.</param>
    /// <returns>Whether the vectors are equal.</returns>
    public bool Equals([NotNullWhen(true)] VersionVector? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || other._replicas.Length != _replicas.Length)
        {
            return false;
        }

        return _counters.AsSpan().SequenceEqual(other._counters) && _replicas.AsSpan().SequenceEqual(other._replicas);
    }

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as VersionVector);

    /// <summary>Returns a hash code consistent with <see cref="Equals(VersionVector)"/>. O(n).</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        for (int i = 0; i < _replicas.Length; i++)
        {
            hash.Add(_replicas[i]);
            hash.Add(_counters[i]);
        }

        return hash.ToHashCode();
    }

    /// <summary>Returns the vector as <c>[a:3, b:1]</c>, in replica order.</summary>
    /// <returns>The text form.</returns>
    public override string ToString()
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < _replicas.Length; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            text.Append(new Dot(_replicas[i], _counters[i], trusted: true).ToString());
        }

        return text.Append(']').ToString();
    }

    /// <summary>Returns an allocation-free enumerator over the latest dot of each replica, in replica order.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(this);

    /// <inheritdoc />
    IEnumerator<Dot> IEnumerable<Dot>.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Creates a vector from sorted, duplicate-free arrays with positive counters (decoders check this first).</summary>
    internal static VersionVector FromSortedUnchecked(ReplicaId[] replicas, long[] counters) =>
        replicas.Length == 0 ? Empty : new VersionVector(replicas, counters);

    /// <summary>
    /// Creates the vector of one entry (<paramref name="counter"/> positive, unchecked). Small counters share a
    /// one-element counters array (vectors never write into theirs): decoders build many such vectors, such as the
    /// nested counters of an OR-map's keys.
    /// </summary>
    internal static VersionVector SingleUnchecked(ReplicaId replica, long counter) =>
        new([replica], counter < SharedCounters.Length ? SharedCounters[counter] : [counter]);

    private static long[][] CreateSharedCounters()
    {
        var shared = new long[16][];
        for (int i = 0; i < shared.Length; i++)
        {
            shared[i] = [i];
        }

        return shared;
    }

    /// <summary>Gets the replica at <paramref name="index"/> in replica order.</summary>
    internal ReplicaId ReplicaAt(int index) => _replicas[index];

    /// <summary>Gets the counter at <paramref name="index"/> in replica order.</summary>
    internal long CounterAt(int index) => _counters[index];

    /// <summary>Gets the replicas in order, read-only (merge loops of types built on vectors, such as GCounter).</summary>
    internal ReadOnlySpan<ReplicaId> ReplicaSpan => _replicas;

    /// <summary>Gets the counters in replica order, read-only.</summary>
    internal ReadOnlySpan<long> CounterSpan => _counters;

    /// <summary>Creates a vector over this vector's replicas (sharing the array) with new positive counters, same length.</summary>
    internal VersionVector WithCounters(long[] counters) => new(_replicas, counters);

    /// <summary>Returns the vector without <paramref name="replica"/>'s entry (this instance when it has none). O(n).</summary>
    internal VersionVector Without(ReplicaId replica)
    {
        int index = Array.BinarySearch(_replicas, replica);
        if (index < 0)
        {
            return this;
        }

        if (_replicas.Length == 1)
        {
            return Empty;
        }

        var replicas = new ReplicaId[_replicas.Length - 1];
        var counters = new long[_replicas.Length - 1];
        _replicas.AsSpan(0, index).CopyTo(replicas);
        _replicas.AsSpan(index + 1).CopyTo(replicas.AsSpan(index));
        _counters.AsSpan(0, index).CopyTo(counters);
        _counters.AsSpan(index + 1).CopyTo(counters.AsSpan(index));
        return new VersionVector(replicas, counters);
    }

    private int IndexOf(ReplicaId replica)
    {
        ReplicaId[] replicas = _replicas;
        if (replicas.Length == 1)
        {
            // Single-replica vectors are the common case; skip the generic binary search.
            int c = replica.CompareTo(replicas[0]);
            return c == 0 ? 0 : c < 0 ? ~0 : ~1;
        }

        return Array.BinarySearch(replicas, replica);
    }

    private VersionVector WithCounter(ReplicaId replica, long counter)
    {
        int index = IndexOf(replica);
        if (index >= 0)
        {
            long[] counters = (long[])_counters.Clone();
            counters[index] = counter;
            return new VersionVector(_replicas, counters);
        }

        int insertAt = ~index;
        var newReplicas = new ReplicaId[_replicas.Length + 1];
        var newCounters = new long[_replicas.Length + 1];
        Array.Copy(_replicas, newReplicas, insertAt);
        Array.Copy(_counters, newCounters, insertAt);
        newReplicas[insertAt] = replica;
        newCounters[insertAt] = counter;
        Array.Copy(_replicas, insertAt, newReplicas, insertAt + 1, _replicas.Length - insertAt);
        Array.Copy(_counters, insertAt, newCounters, insertAt + 1, _counters.Length - insertAt);
        return new VersionVector(newReplicas, newCounters);
    }

    private VersionVector Combine(VersionVector other, bool max)
    {
        ReplicaId[] a = _replicas;
        ReplicaId[] b = other._replicas;

        // First pass: count the result so it is allocated at its exact size, and share a replica array when
        // the result's replicas are exactly one side's (the usual case once replicas know each other).
        int common = 0;
        for (int x = 0, y = 0; x < a.Length && y < b.Length;)
        {
            int c = a[x].CompareTo(b[y]);
            common += c == 0 ? 1 : 0;
            x += c <= 0 ? 1 : 0;
            y += c >= 0 ? 1 : 0;
        }

        int size = max ? a.Length + b.Length - common : common;
        ReplicaId[]? shared = size == a.Length ? a : size == b.Length ? b : null;
        ReplicaId[] replicas = shared ?? new ReplicaId[size];
        var counters = new long[size];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.Length && j < b.Length)
        {
            int c = a[i].CompareTo(b[j]);
            if (c == 0)
            {
                Put(a[i], max ? Math.Max(_counters[i], other._counters[j]) : Math.Min(_counters[i], other._counters[j]));
                i++;
                j++;
            }
            else if (c < 0)
            {
                if (max)
                {
                    Put(a[i], _counters[i]);
                }

                i++;
            }
            else
            {
                if (max)
                {
                    Put(b[j], other._counters[j]);
                }

                j++;
            }
        }

        if (max)
        {
            for (; i < a.Length; i++)
            {
                Put(a[i], _counters[i]);
            }

            for (; j < b.Length; j++)
            {
                Put(b[j], other._counters[j]);
            }
        }

        return FromSortedUnchecked(replicas, counters);

        void Put(ReplicaId replica, long counter)
        {
            if (shared is null)
            {
                replicas[n] = replica;
            }

            counters[n++] = counter;
        }
    }

    /// <summary>An allocation-free enumerator over a vector's entries as dots, in replica order.</summary>
    [Mutable]
    public struct Enumerator : IEnumerator<Dot>
    {
        private readonly VersionVector _vector;
        private int _index;

        internal Enumerator(VersionVector vector)
        {
            _vector = vector;
            _index = -1;
        }

        /// <summary>Gets the latest dot of the current replica.</summary>
        public readonly Dot Current => new(_vector._replicas[_index], _vector._counters[_index], trusted: true);

        /// <inheritdoc />
        readonly object IEnumerator.Current => Current;

        /// <summary>Advances to the next replica.</summary>
        /// <returns><see langword="false"/> past the last replica.</returns>
        public bool MoveNext() => ++_index < _vector._replicas.Length;

        /// <summary>Restarts the enumeration.</summary>
        public void Reset() => _index = -1;

        /// <summary>Does nothing: the enumerator holds no resources.</summary>
        public readonly void Dispose()
        {
        }
    }
}
