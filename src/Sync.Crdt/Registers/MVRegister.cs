using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Serialization;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Encoding.Codecs;
using Sync.Crdt.Encoding.Json;

namespace Sync.Crdt.Registers;

/// <summary>
/// A multi-value register (the Dynamo "siblings" strategy): concurrent writes are all kept, and a write
/// replaces exactly the values its replica had seen. Reading returns every value no later write has replaced;
/// the application resolves the conflict (typically by writing a value that combines them).
/// </summary>
/// <typeparam name="T">The value type. Values are compared with <see cref="EqualityComparer{T}.Default"/>.</typeparam>
/// <remarks>
/// <para><b>State</b>: sibling entries, each a value tagged with the <see cref="Dot"/> of the write that made it,
/// plus a <see cref="CausalContext"/> of every write this state has seen (including replaced ones). A write
/// by replica r takes the next dot of r, becomes the only entry, and adds its dot to the context.</para>
/// <para><b>Merge</b> (the dot-kernel join): an entry survives when the other side holds it too or has never
/// seen its dot; an entry whose dot the other side has seen but no longer holds was replaced there. The
/// contexts are united. Commutative, associative and idempotent; merging a state this one already includes
/// returns this same instance. No tombstones: a replaced value leaves nothing but its dot in the context, which
/// compacts to a version vector.</para>
/// <para><b>Order</b>: <see cref="Values"/> lists the siblings in the order of their dots (replica id ordinal,
/// then counter), so every replica lists the same siblings in the same order. Two concurrent writes of equal
/// values are two siblings (each is a distinct write); use <c>Distinct()</c> when only the values matter.</para>
/// <para><b>Deltas</b>: every mutator has an overload with an <c>out</c> delta, itself an
/// <see cref="MVRegister{T}"/>: for <see cref="Set(ReplicaId, T)"/> the new entry with a context of its own dot
/// and the dots of the entries it replaces; for <see cref="Clear()"/> no entry and the replaced dots. Merging
/// the delta into any state that has seen this one gives the same result as merging the mutation's result;
/// deltas merge with each other (delta groups) and with full states under the join laws, and may be applied
/// more than once. Apply a replica's deltas in causal order, as the replication layer does: the result is then
/// the same as shipping full states.</para>
/// <para><b>Equality</b>: the same entries (dots and values) and the same context. <b>Empty value</b>:
/// <see cref="Empty"/>, no values and no history. A dot names one write, so two entries with the same dot and
/// different values are invalid input (only <see cref="Create"/> could build one); a merge that meets them keeps
/// this register's value.</para>
/// <para><b>Complexity</b>: with k siblings and a context of n replicas (c out-of-order dots): <see cref="Set(ReplicaId, T)"/>
/// O(n + c + k); <see cref="Merge"/> O(k + k' + context merge) and allocation-free when one side includes the
/// other; <see cref="Values"/> O(1) without copying. Immutable and thread-safe (provided <typeparamref name="T"/>
/// values are not mutated).</para>
/// </remarks>
[Immutable]
[SuppressMessage("Naming", "CA1000:Do not declare static members on generic types", Justification = "Empty is the natural bottom value, as in ImmutableArray<T>.Empty.")]
public sealed partial class MVRegister<T> : ICrdt<MVRegister<T>>, IWriterAttribution<MVRegister<T>>
{
    private readonly T[] _values;
    private readonly Dot[] _dots;
    private readonly CausalContext _context;

    private MVRegister(T[] values, Dot[] dots, CausalContext context)
    {
        _values = values;
        _dots = dots;
        _context = context;
    }

    /// <summary>Gets the register nobody has written: no values, empty history.</summary>
    public static MVRegister<T> Empty { get; } = new([], [], CausalContext.Empty);

    /// <inheritdoc />
    static JsonConverter<MVRegister<T>> ICrdt<MVRegister<T>>.JsonConverter => MVRegisterJsonConverter<T>.Instance;

    /// <inheritdoc />
    static ICrdtValueCodec<MVRegister<T>> ICrdt<MVRegister<T>>.CreateCodec(CrdtSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new MVRegisterCodec<T>(options);
    }

    /// <summary>Gets the current values (one per sibling), in dot order. O(1), no copy.</summary>
    public ImmutableArray<T> Values => ImmutableCollectionsMarshal.AsImmutableArray(_values);

    /// <summary>Gets the dots of the writes that made <see cref="Values"/>, in the same order (sorted). O(1), no copy.</summary>
    public ImmutableArray<Dot> Dots => ImmutableCollectionsMarshal.AsImmutableArray(_dots);

    /// <summary>Gets every write this state has seen, current or replaced.</summary>
    public CausalContext Context => _context;

    /// <summary>Gets the number of siblings (current values).</summary>
    public int Count => _values.Length;

    /// <summary>Gets a value indicating whether the register holds no value (never written, or cleared).</summary>
    public bool IsEmpty => _values.Length == 0;

    /// <summary>Gets a value indicating whether concurrent writes left more than one value.</summary>
    public bool HasConflict => _values.Length > 1;

    /// <summary>
    /// Adds the replica of every write in this register's context that <paramref name="known"/>'s context lacks, and
    /// of every sibling whose dot <paramref name="known"/> also holds with a different value (a rewritten write).
    /// O((c + n) log m).
    /// </summary>
    /// <param name="known">The register to compare with; <see langword="null"/> means the empty register.</param>
    /// <param name="writers">Receives the replicas.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writers"/> is <see langword="null"/>.</exception>
    public void CollectNewWriters(MVRegister<T>? known, ISet<ReplicaId> writers)
    {
        ArgumentNullException.ThrowIfNull(writers);
        _context.CollectNewWriters(known?._context, writers);
        if (known is null)
        {
            return;
        }

        for (int i = 0; i < _dots.Length; i++)
        {
            int at = Array.BinarySearch(known._dots, _dots[i]);
            if (at >= 0 && !EqualityComparer<T>.Default.Equals(known._values[at], _values[i]))
            {
                writers.Add(_dots[i].Replica);
            }
        }
    }

    /// <summary>Creates a register from its entries and context, such as a decoder reads them.</summary>
    /// <param name="entries">The siblings: each write's dot and value, in any order.</param>
    /// <param name="context">Every write the state has seen; must contain every entry's dot.</param>
    /// <returns>The register.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A dot is the default dot, appears twice, or is missing from <paramref name="context"/>.</exception>
    public static MVRegister<T> Create(IEnumerable<KeyValuePair<Dot, T>> entries, CausalContext context)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(context);
        var list = new List<KeyValuePair<Dot, T>>(entries);
        list.Sort((x, y) => x.Key.CompareTo(y.Key));
        var dots = new Dot[list.Count];
        var values = new T[list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            Dot dot = list[i].Key;
            if (dot.Replica.IsDefault)
            {
                throw new ArgumentException("An entry has the default (invalid) dot.", nameof(entries));
            }

            if (i > 0 && dot == dots[i - 1])
            {
                throw new ArgumentException($"Dot {dot} appears more than once.", nameof(entries));
            }

            if (!context.Contains(dot))
            {
                throw new ArgumentException($"The context does not contain the entry's dot {dot}.", nameof(context));
            }

            dots[i] = dot;
            values[i] = list[i].Value;
        }

        return dots.Length == 0 && context.IsEmpty ? Empty : new MVRegister<T>(values, dots, context);
    }

    /// <summary>Writes <paramref name="value"/> as <paramref name="replica"/>, replacing every value this state holds. O(n + c + k).</summary>
    /// <param name="replica">The writing replica.</param>
    /// <param name="value">The new value.</param>
    /// <returns>The new register, holding only <paramref name="value"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="OverflowException">The replica's write counter is exhausted.</exception>
    public MVRegister<T> Set(ReplicaId replica, T value) => Set(replica, value, out _);

    /// <summary>
    /// Writes <paramref name="value"/> as <paramref name="replica"/>, replacing every value this state holds, and
    /// returns the delta: the new entry, with a context of its dot and the replaced dots. O(n + c + k).
    /// </summary>
    /// <param name="replica">The writing replica.</param>
    /// <param name="value">The new value.</param>
    /// <param name="delta">The mutation's delta (see the type's remarks).</param>
    /// <returns>The new register, holding only <paramref name="value"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="OverflowException">The replica's write counter is exhausted.</exception>
    public MVRegister<T> Set(ReplicaId replica, T value, out MVRegister<T> delta)
    {
        ReplicaId.ThrowIfDefault(replica, nameof(replica));
        Dot dot = _context.NextDot(replica);
        var deltaDots = new Dot[_dots.Length + 1];
        int at = ~Array.BinarySearch(_dots, dot);
        Array.Copy(_dots, deltaDots, at);
        deltaDots[at] = dot;
        Array.Copy(_dots, at, deltaDots, at + 1, _dots.Length - at);
        T[] values = [value];
        Dot[] dots = [dot];
        delta = new MVRegister<T>(values, dots, CausalContext.Normalize(VersionVector.Empty, deltaDots));
        return new MVRegister<T>(values, dots, _context.Add(dot));
    }

    /// <summary>Removes every value this state holds; concurrent writes it has not seen survive a merge. O(k).</summary>
    /// <returns>The cleared register; this instance when it holds no value.</returns>
    public MVRegister<T> Clear() => Clear(out _);

    /// <summary>
    /// Removes every value this state holds and returns the delta: no entry, with a context of the removed dots. O(k).
    /// </summary>
    /// <param name="delta">The mutation's delta (see the type's remarks); <see cref="Empty"/> when nothing changes.</param>
    /// <returns>The cleared register; this instance when it holds no value.</returns>
    public MVRegister<T> Clear(out MVRegister<T> delta)
    {
        if (_values.Length == 0)
        {
            delta = Empty;
            return this;
        }

        delta = new MVRegister<T>([], [], CausalContext.Normalize(VersionVector.Empty, (Dot[])_dots.Clone()));
        return new MVRegister<T>([], [], _context);
    }

    /// <summary>
    /// Returns the join of both states: siblings neither side has replaced, and the union of the contexts.
    /// Returns this instance when it already includes <paramref name="other"/>, and <paramref name="other"/> when
    /// that includes this. Never throws for a non-null argument.
    /// </summary>
    /// <param name="other">The register to merge in.</param>
    /// <returns>The merged register.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public MVRegister<T> Merge(MVRegister<T> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(this, other))
        {
            return this;
        }

        CausalContext context = _context.Merge(other._context);
        Dot[] a = _dots;
        Dot[] b = other._dots;

        // First pass, allocation-free: count survivors and see whether either operand is the answer.
        int count = 0;
        bool keepsAllOfThis = true;
        bool keepsAllOfOther = true;
        bool hasOnlyThis = false;
        bool hasOnlyOther = false;
        int i = 0;
        int j = 0;
        while (i < a.Length || j < b.Length)
        {
            int c = i == a.Length ? 1 : j == b.Length ? -1 : a[i].CompareTo(b[j]);
            if (c == 0)
            {
                count++;
                i++;
                j++;
            }
            else if (c < 0)
            {
                if (other._context.Contains(a[i]))
                {
                    keepsAllOfThis = false;
                }
                else
                {
                    count++;
                    hasOnlyThis = true;
                }

                i++;
            }
            else
            {
                if (_context.Contains(b[j]))
                {
                    keepsAllOfOther = false;
                }
                else
                {
                    count++;
                    hasOnlyOther = true;
                }

                j++;
            }
        }

        if (keepsAllOfThis && !hasOnlyOther && ReferenceEquals(context, _context))
        {
            return this;
        }

        if (keepsAllOfOther && !hasOnlyThis && ReferenceEquals(context, other._context))
        {
            return other;
        }

        var dots = new Dot[count];
        var values = new T[count];
        int n = 0;
        i = 0;
        j = 0;
        while (i < a.Length || j < b.Length)
        {
            int c = i == a.Length ? 1 : j == b.Length ? -1 : a[i].CompareTo(b[j]);
            if (c == 0)
            {
                dots[n] = a[i];
                values[n++] = _values[i];
                i++;
                j++;
            }
            else if (c < 0)
            {
                if (!other._context.Contains(a[i]))
                {
                    dots[n] = a[i];
                    values[n++] = _values[i];
                }

                i++;
            }
            else
            {
                if (!_context.Contains(b[j]))
                {
                    dots[n] = b[j];
                    values[n++] = other._values[j];
                }

                j++;
            }
        }

        return new MVRegister<T>(values, dots, context);
    }

    /// <summary>Returns <see langword="true"/> when both registers hold the same entries (dots and values) and the same context.</summary>
    /// <param name="other">The register to compare with.</param>
    /// <returns>Whether the registers are equal.</returns>
    public bool Equals([NotNullWhen(true)] MVRegister<T>? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || _dots.Length != other._dots.Length || !_dots.AsSpan().SequenceEqual(other._dots))
        {
            return false;
        }

        EqualityComparer<T> comparer = EqualityComparer<T>.Default;
        for (int i = 0; i < _values.Length; i++)
        {
            if (!comparer.Equals(_values[i], other._values[i]))
            {
                return false;
            }
        }

        return _context.Equals(other._context);
    }

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as MVRegister<T>);

    /// <summary>Returns a hash code consistent with <see cref="Equals(MVRegister{T})"/>. O(k + n + c).</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(_context);
        for (int i = 0; i < _dots.Length; i++)
        {
            hash.Add(_dots[i]);
            hash.Add(_values[i]);
        }

        return hash.ToHashCode();
    }

    /// <summary>Returns the register as <c>{x@a:2, y@b:1} ctx [a:2, b:1]</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString()
    {
        var text = new StringBuilder("{");
        for (int i = 0; i < _dots.Length; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(_values[i]).Append('@').Append(_dots[i].ToString());
        }

        return text.Append("} ctx ").Append(_context.ToString()).ToString();
    }
}
