using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Causality;

/// <summary>
/// An immutable set of dots (events), stored compactly as a <see cref="Causality.VersionVector"/> for the
/// contiguous prefix of each replica's events plus a sorted "dot cloud" for events that arrived out of order.
/// </summary>
/// <remarks>
/// <para>Observed-remove types keep a causal context beside their entries: a dot in the context but on no
/// entry means "seen, then removed", so a merge never resurrects a removed element and no per-element
/// tombstone is kept. Delta states (the result of one mutation) carry only the dots they touch, which is why
/// a context may hold gaps; merging fills them, and <see cref="Add"/> and <see cref="Merge"/> move every dot
/// that closes a gap into the vector (compaction), so in a replica that has received every delta the cloud is
/// empty.</para>
/// <para><b>Merge</b> is set union: commutative, associative, idempotent. <b>Equality</b> is set equality:
/// compaction makes the representation canonical, so structurally equal contexts are equal and hash alike.</para>
/// <para><b>Complexity</b>: <see cref="Contains"/> is O(log n + log c) for n replicas and c cloud dots;
/// <see cref="Add"/> is O(n + c); <see cref="Merge"/> is O(n + m + c log c). Immutable and thread-safe.</para>
/// </remarks>
[Immutable]
public sealed class CausalContext : IMergeable<CausalContext>, IEquatable<CausalContext>, IWriterAttribution<CausalContext>
{
    private readonly VersionVector _vector;
    private readonly Dot[] _cloud;

    private CausalContext(VersionVector vector, Dot[] cloud)
    {
        _vector = vector;
        _cloud = cloud;
    }

    /// <summary>Gets the empty context: no events.</summary>
    public static CausalContext Empty { get; } = new(VersionVector.Empty, []);

    /// <summary>Gets the contiguous part of the context: for each replica, events 1..n.</summary>
    public VersionVector VersionVector => _vector;

    /// <summary>Gets the dots beyond <see cref="VersionVector"/> (not contiguous with it), sorted by replica and counter.</summary>
    public ReadOnlySpan<Dot> DotCloud => _cloud;

    /// <summary>Gets a value indicating whether the context is a plain version vector (its dot cloud is empty).</summary>
    public bool IsCompact => _cloud.Length == 0;

    /// <summary>Gets a value indicating whether the context holds no events.</summary>
    public bool IsEmpty => _cloud.Length == 0 && _vector.IsEmpty;

    /// <summary>Creates a context that holds exactly the events of a version vector.</summary>
    /// <param name="vector">The events.</param>
    /// <returns>The context.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="vector"/> is <see langword="null"/>.</exception>
    public static CausalContext Create(VersionVector vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        return vector.IsEmpty ? Empty : new CausalContext(vector, []);
    }

    /// <summary>Creates a context from a version vector and any further dots, compacting them.</summary>
    /// <param name="vector">The contiguous events.</param>
    /// <param name="dots">Further events, in any order; duplicates and dots the vector covers are ignored.</param>
    /// <returns>The context.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A dot is the default (invalid) dot.</exception>
    public static CausalContext Create(VersionVector vector, IEnumerable<Dot> dots)
    {
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentNullException.ThrowIfNull(dots);
        var list = new List<Dot>(dots);
        foreach (Dot dot in list)
        {
            if (dot.Replica.IsDefault)
            {
                throw new ArgumentException("A causal context cannot hold a default Dot.", nameof(dots));
            }
        }

        list.Sort();
        return Normalize(vector, list.ToArray());
    }

    /// <summary>Returns <see langword="true"/> when the context holds <paramref name="dot"/>.</summary>
    /// <param name="dot">The event.</param>
    /// <returns>Whether the event is included.</returns>
    public bool Contains(Dot dot) =>
        _vector.Contains(dot) || (_cloud.Length != 0 && Array.BinarySearch(_cloud, dot) >= 0);

    /// <summary>
    /// Returns the next event <paramref name="replica"/> should generate: one past the highest counter of
    /// that replica in the context.
    /// </summary>
    /// <param name="replica">The acting replica.</param>
    /// <returns>The new dot (not yet added).</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="OverflowException">The replica's counter is exhausted.</exception>
    public Dot NextDot(ReplicaId replica)
    {
        ReplicaId.ThrowIfDefault(replica, nameof(replica));
        long highest = _vector[replica];
        foreach (Dot dot in _cloud)
        {
            if (dot.Replica == replica && dot.Counter > highest)
            {
                highest = dot.Counter;
            }
        }

        return new Dot(replica, checked(highest + 1), trusted: true);
    }

    /// <summary>Returns the context with <paramref name="dot"/> added; this instance when it already holds it.</summary>
    /// <param name="dot">The event to add.</param>
    /// <returns>The new context.</returns>
    /// <exception cref="ArgumentException"><paramref name="dot"/> is the default (invalid) dot.</exception>
    public CausalContext Add(Dot dot)
    {
        if (dot.Replica.IsDefault)
        {
            throw new ArgumentException("A causal context cannot hold a default Dot.", nameof(dot));
        }

        if (Contains(dot))
        {
            return this;
        }

        if (_cloud.Length == 0 && dot.Counter == _vector[dot.Replica] + 1)
        {
            return new CausalContext(_vector.Advance(dot.Replica, dot.Counter), []);
        }

        int at = ~Array.BinarySearch(_cloud, dot);
        var cloud = new Dot[_cloud.Length + 1];
        Array.Copy(_cloud, cloud, at);
        cloud[at] = dot;
        Array.Copy(_cloud, at, cloud, at + 1, _cloud.Length - at);
        return Normalize(_vector, cloud);
    }

    /// <summary>Returns the union of both contexts; this instance when it already holds every event of <paramref name="other"/>.</summary>
    /// <param name="other">The context to merge in.</param>
    /// <returns>The merged context.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public CausalContext Merge(CausalContext other)
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

        if (_cloud.Length == 0 && other._cloud.Length == 0)
        {
            VersionVector merged = _vector.Merge(other._vector);
            return ReferenceEquals(merged, _vector) ? this : ReferenceEquals(merged, other._vector) ? other : new CausalContext(merged, []);
        }

        if (Includes(other))
        {
            return this;
        }

        if (other.Includes(this))
        {
            return other;
        }

        VersionVector vector = _vector.Merge(other._vector);
        var cloud = new Dot[_cloud.Length + other._cloud.Length];
        _cloud.CopyTo(cloud, 0);
        other._cloud.CopyTo(cloud, _cloud.Length);
        Array.Sort(cloud);
        return Normalize(vector, cloud);
    }

    /// <summary>Returns <see langword="true"/> when every event of <paramref name="other"/> is in this context.</summary>
    /// <param name="other">The context to test.</param>
    /// <returns>Whether this context includes the other.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public bool Includes(CausalContext other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (Dot entry in other._vector)
        {
            // Events 1..n of a replica. The representation is canonical: a cloud never holds the event right after
            // its replica's vector entry (Normalize moves it into the vector), so 1..n are all held only when the
            // vector covers n.
            if (_vector[entry.Replica] < entry.Counter)
            {
                return false;
            }
        }

        foreach (Dot dot in other._cloud)
        {
            if (!Contains(dot))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Adds the replica of every event of this context that <paramref name="known"/> does not hold. O((n + c) log(m + d))
    /// for this context's n replicas and c cloud dots against <paramref name="known"/>'s m replicas and d cloud dots;
    /// a vector entry far beyond <paramref name="known"/> costs no more than one that is just beyond it.
    /// </summary>
    /// <param name="known">The context to compare with; <see langword="null"/> means the empty context.</param>
    /// <param name="writers">Receives the replicas.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writers"/> is <see langword="null"/>.</exception>
    public void CollectNewWriters(CausalContext? known, ISet<ReplicaId> writers)
    {
        ArgumentNullException.ThrowIfNull(writers);
        foreach (Dot entry in _vector)
        {
            if (known is null || !known.HoldsRange(entry.Replica, entry.Counter))
            {
                writers.Add(entry.Replica);
            }
        }

        foreach (Dot dot in _cloud)
        {
            if (known is null || !known.Contains(dot))
            {
                writers.Add(dot.Replica);
            }
        }
    }

    /// <summary>Returns <see langword="true"/> when both contexts hold the same events.</summary>
    /// <param name="other">The context to compare with.</param>
    /// <returns>Whether the contexts are equal.</returns>
    public bool Equals([NotNullWhen(true)] CausalContext? other) =>
        ReferenceEquals(this, other) ||
        (other is not null && _vector.Equals(other._vector) && _cloud.AsSpan().SequenceEqual(other._cloud));

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as CausalContext);

    /// <summary>Returns a hash code consistent with <see cref="Equals(CausalContext)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(_vector);
        foreach (Dot dot in _cloud)
        {
            hash.Add(dot);
        }

        return hash.ToHashCode();
    }

    /// <summary>Returns the context as <c>[a:3, b:1] + {c:5}</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString()
    {
        if (_cloud.Length == 0)
        {
            return _vector.ToString();
        }

        var text = new StringBuilder(_vector.ToString()).Append(" + {");
        for (int i = 0; i < _cloud.Length; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(_cloud[i].ToString());
        }

        return text.Append('}').ToString();
    }

    /// <summary>Returns whether this context holds every event 1..<paramref name="counter"/> of <paramref name="replica"/>:
    /// in the canonical representation only the vector can hold a contiguous run from 1.</summary>
    private bool HoldsRange(ReplicaId replica, long counter) => _vector[replica] >= counter;

    /// <summary>
    /// Builds a canonical context from a vector and a sorted cloud (duplicates allowed): drops covered dots and
    /// moves dots contiguous with the vector into it.
    /// </summary>
    internal static CausalContext Normalize(VersionVector vector, Dot[] sortedCloud)
    {
        if (sortedCloud.Length == 0)
        {
            return Create(vector);
        }

        var kept = new List<Dot>(sortedCloud.Length);
        List<Dot>? advances = null;
        int i = 0;
        while (i < sortedCloud.Length)
        {
            ReplicaId replica = sortedCloud[i].Replica;
            long start = vector[replica];
            long current = start;
            for (; i < sortedCloud.Length && sortedCloud[i].Replica == replica; i++)
            {
                long counter = sortedCloud[i].Counter;
                if (counter <= current)
                {
                    continue;
                }

                if (counter == current + 1)
                {
                    // Sorted input: once a gap is kept, no later dot of this replica can be contiguous.
                    current = counter;
                }
                else if (kept.Count == 0 || kept[^1] != sortedCloud[i])
                {
                    kept.Add(sortedCloud[i]);
                }
            }

            if (current != start)
            {
                (advances ??= []).Add(new Dot(replica, current, trusted: true));
            }
        }

        if (advances is not null)
        {
            // One merge for all advanced replicas (sorted, as the cloud is): O(n + k), not O(n) per replica.
            var replicas = new ReplicaId[advances.Count];
            var counters = new long[advances.Count];
            for (int k = 0; k < advances.Count; k++)
            {
                replicas[k] = advances[k].Replica;
                counters[k] = advances[k].Counter;
            }

            vector = vector.Merge(VersionVector.FromSortedUnchecked(replicas, counters));
        }

        return kept.Count == 0 ? Create(vector) : new CausalContext(vector, kept.ToArray());
    }
}
