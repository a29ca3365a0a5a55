using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Serialization;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;
using Sync.Crdt.Encoding;
using Sync.Crdt.Encoding.Codecs;
using Sync.Crdt.Encoding.Json;

namespace Sync.Crdt.Sets;

/// <summary>
/// An observed-remove set (add-wins OR-Set without tombstones, "ORSWOT"): replicas add and remove elements
/// independently and merge to the same set.
/// </summary>
/// <typeparam name="T">The element type; ordered by <see cref="Comparer"/>.</typeparam>
/// <remarks>
/// <para><b>State.</b> Each element maps to the dots (events) of the adds that keep it alive; a
/// <see cref="CausalContext"/> records every add event the state has seen. An add creates a fresh dot for the
/// acting replica and replaces the element's older dots; a remove drops the element's entry but keeps its dots
/// in the context, so no per-element tombstone remains.</para>
/// <para><b>Merge</b> keeps, per element, the dots both sides hold, plus each side's dots the other side's context
/// has not seen; an element with no dot left is gone. A dot one side holds and the other has seen but dropped
/// was removed there, so the remove survives the merge (a plain union of tags would bring removed elements back). Merge is commutative, associative and idempotent; it returns this instance when the result
/// equals it, and the other state when the result equals that.</para>
/// <para><b>Conflicts.</b> Add wins: an element is present iff some add of it has not been followed, causally, by
/// a remove that observed that add. A remove only removes the adds its replica had seen.</para>
/// <para><b>Deltas.</b> Every mutator has an overload returning a delta: a small <see cref="ORSet{T}"/> that,
/// merged into any replica, has the effect of the mutation. An add's delta holds the element with its new dot
/// and a context of that dot plus the element's replaced dots; a remove's delta holds no element and a context
/// of the removed dots. Both are O(1) in the set's size. Deltas may be merged with each other and with full
/// states in any order, duplicated or delayed: the result after all have arrived equals the full state, because
/// the context keeps out-of-order dots exactly (its dot cloud) instead of assuming a contiguous history. See
/// docs/design.md (section "Sets and maps") for the delivery rule the replication layer relies on.</para>
/// <para><b>Order and equality.</b> Elements are kept sorted by <see cref="Comparer"/> (ordinal for strings,
/// <see cref="Comparer{T}.Default"/> for <see cref="IComparable{T}"/> types, or a comparer you pass), which makes
/// enumeration and encodings deterministic. Equality is structural over the whole state: the same comparer, the
/// same elements (by <see cref="EqualityComparer{T}.Default"/>) with the same dots, and equal contexts. Merging
/// sets with different comparers throws <see cref="ArgumentException"/>.</para>
/// <para><b>Complexity</b> (n elements, r replicas in the context): <see cref="Contains"/> O(log n);
/// <see cref="Add(ReplicaId, T)"/> and <see cref="Remove(T)"/> O(log n + r) time and allocation (a persistent
/// B+-tree shares everything but one path); <see cref="Merge"/> O(n + m) and allocates only the result's changed
/// leaves; enumeration is allocation-free. Equality and hashing are O(n).</para>
/// <para>Immutable and thread-safe. Batches go through <see cref="ToBuilder"/>.</para>
/// </remarks>
[Immutable]
public sealed partial class ORSet<T> : ICrdt<ORSet<T>>, IReadOnlyCollection<T>
    where T : notnull
{
    private static readonly IComparer<T>? DefaultComparer = KeyOrder.DefaultOrNull<T>();
    private static readonly DotIndex<T> EmptyIndex = DotIndex<T>.Empty;
    private static readonly ORSet<T>? DefaultEmpty = DefaultComparer is null ? null : new(SortedTree<T, Dot[]>.Empty(DefaultComparer), EmptyIndex, CausalContext.Empty);

    private readonly SortedTree<T, Dot[]> _entries;
    private readonly DotIndex<T> _index;
    private readonly CausalContext _context;

    private ORSet(SortedTree<T, Dot[]> entries, DotIndex<T> index, CausalContext context)
    {
        _entries = entries;
        _index = index;
        _context = context;
    }

    /// <summary>Gets the empty set (no elements, empty context) ordered by the default order of <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="T"/> has no default order; use <see cref="CreateEmpty(IComparer{T})"/>.</exception>
    public static ORSet<T> Empty => DefaultEmpty ?? throw new InvalidOperationException(KeyOrder.NoOrderMessage(typeof(T), "set"));

    /// <inheritdoc />
    static JsonConverter<ORSet<T>> ICrdt<ORSet<T>>.JsonConverter => ORSetJsonConverter<T>.Instance;

    /// <inheritdoc />
    static ICrdtValueCodec<ORSet<T>> ICrdt<ORSet<T>>.CreateCodec(CrdtSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ORSetCodec<T>(options);
    }

    /// <summary>Gets the element order. Every replica of one set must use the same order.</summary>
    public IComparer<T> Comparer => _entries.Comparer;

    /// <summary>Gets every add event this state has seen, including those of elements since removed.</summary>
    public CausalContext Context => _context;

    /// <summary>Gets the number of elements, in O(1).</summary>
    public int Count => _entries.Count;

    /// <summary>Gets a value indicating whether the set has no elements (its context may still hold events).</summary>
    public bool IsEmpty => _entries.Count == 0;

    /// <summary>Returns the empty set ordered by <paramref name="comparer"/> (for element types without a default order, or another order).</summary>
    /// <param name="comparer">A deterministic total order of the elements, the same on every replica.</param>
    /// <returns>The empty set; <see cref="Empty"/> itself when <paramref name="comparer"/> is the default order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="comparer"/> is <see langword="null"/>.</exception>
    public static ORSet<T> CreateEmpty(IComparer<T> comparer)
    {
        ArgumentNullException.ThrowIfNull(comparer);
        return DefaultEmpty is not null && KeyOrder.SameOrder(comparer, DefaultEmpty.Comparer)
            ? DefaultEmpty
            : new ORSet<T>(SortedTree<T, Dot[]>.Empty(comparer), EmptyIndex, CausalContext.Empty);
    }

    /// <summary>
    /// Creates a set from its parts, such as a codec reads them: the dots that keep elements alive, each with its
    /// element, in any order, and the causal context. Every invariant is checked, so the result is a valid state.
    /// </summary>
    /// <param name="entries">Each add event (dot) that keeps an element alive, with that element; an element may
    /// have several dots (concurrent adds). See <see cref="GetDots"/> for the other direction.</param>
    /// <param name="context">Every add event the state has seen; must contain every entry's dot.</param>
    /// <param name="comparer">The element order; <see langword="null"/> for the default order of <typeparamref name="T"/>.</param>
    /// <returns>The set. O(n log n) for n entries.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entries"/> or <paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An element is <see langword="null"/>, a dot is the default dot, appears
    /// twice, or is missing from <paramref name="context"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="comparer"/> is <see langword="null"/> and <typeparamref name="T"/> has no default order.</exception>
    public static ORSet<T> Create(IEnumerable<KeyValuePair<Dot, T>> entries, CausalContext context, IComparer<T>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(context);
        IComparer<T> order = comparer ?? DefaultComparer ?? throw new InvalidOperationException(KeyOrder.NoOrderMessage(typeof(T), "set"));
        var list = new List<KeyValuePair<Dot, T>>(entries);
        foreach (KeyValuePair<Dot, T> entry in list)
        {
            if (entry.Value is null)
            {
                throw new ArgumentException("An element must not be null.", nameof(entries));
            }
        }

        list.Sort((x, y) =>
        {
            int byElement = order.Compare(x.Value, y.Value);
            return byElement != 0 ? byElement : x.Key.CompareTo(y.Key);
        });
        var items = new List<T>();
        var dots = new List<Dot[]>();
        for (int start = 0; start < list.Count;)
        {
            int end = start + 1;
            while (end < list.Count && order.Compare(list[start].Value, list[end].Value) == 0)
            {
                end++;
            }

            var elementDots = new Dot[end - start];
            for (int k = start; k < end; k++)
            {
                elementDots[k - start] = list[k].Key;
            }

            items.Add(list[start].Value);
            dots.Add(elementDots);
            start = end;
        }

        if (items.Count == 0 && context.IsEmpty)
        {
            return CreateEmpty(order);
        }

        return FromParts(order, items.ToArray(), dots.ToArray(), context);
    }

    /// <summary>Returns whether <paramref name="item"/> is in the set, in O(log n).</summary>
    /// <param name="item">The element.</param>
    /// <returns>Whether it is present.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is <see langword="null"/>.</exception>
    public bool Contains(T item)
    {
        if (item is null)
        {
            throw new ArgumentNullException(nameof(item));
        }

        return _entries.ContainsKey(item);
    }

    /// <summary>Gets the dots (add events) that keep <paramref name="item"/> alive, in ascending order; empty when it is absent. O(log n), no copy.</summary>
    /// <param name="item">The element.</param>
    /// <returns>The element's dots.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is <see langword="null"/>.</exception>
    public ImmutableArray<Dot> GetDots(T item)
    {
        if (item is null)
        {
            throw new ArgumentNullException(nameof(item));
        }

        return _entries.TryGetValue(item, out Dot[]? dots) ? ImmutableCollectionsMarshal.AsImmutableArray(dots) : ImmutableArray<Dot>.Empty;
    }

    /// <summary>Adds <paramref name="item"/> as an add event of <paramref name="replica"/>.</summary>
    /// <param name="replica">The acting replica; it must be the only writer using this id.</param>
    /// <param name="item">The element.</param>
    /// <returns>The new set. Never this instance: an add of a present element still records a new event, which
    /// protects the element from concurrent removes that did not see it.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is <see langword="null"/>.</exception>
    /// <exception cref="OverflowException">The replica's event counter is exhausted.</exception>
    public ORSet<T> Add(ReplicaId replica, T item) => AddCore(replica, item, withDelta: false, out _);

    /// <summary>Adds <paramref name="item"/> as an add event of <paramref name="replica"/> and returns the delta.</summary>
    /// <param name="replica">The acting replica; it must be the only writer using this id.</param>
    /// <param name="item">The element.</param>
    /// <param name="delta">The mutation as a set: <paramref name="item"/> with its new dot, and a context of that dot
    /// and the element's replaced dots (O(1) in the set's size).</param>
    /// <returns>The new set.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is <see langword="null"/>.</exception>
    /// <exception cref="OverflowException">The replica's event counter is exhausted.</exception>
    public ORSet<T> Add(ReplicaId replica, T item, out ORSet<T> delta) => AddCore(replica, item, withDelta: true, out delta);

    private ORSet<T> AddCore(ReplicaId replica, T item, bool withDelta, out ORSet<T> delta)
    {
        ReplicaId.ThrowIfDefault(replica, nameof(replica));
        if (item is null)
        {
            throw new ArgumentNullException(nameof(item));
        }

        Dot dot = _context.NextDot(replica);
        Dot[] dots = [dot];
        SortedTree<T, Dot[]> entries = _entries.SetItem(item, dots, out bool present, out Dot[]? replaced);

        delta = null!;
        if (withDelta)
        {
            CausalContext deltaContext = present ? CausalContext.Create(VersionVector.Empty, [.. replaced!, dot]) : CausalContext.Empty.Add(dot);
            delta = new ORSet<T>(SortedTree<T, Dot[]>.Single(Comparer, item, dots), new DotIndex<T>(SortedTree<Dot, T>.Single(Comparer<Dot>.Default, dot, item)), deltaContext);
        }

        return new ORSet<T>(entries, _index.Replace(item, present ? replaced! : [], dots), _context.Add(dot));
    }

    /// <summary>Removes <paramref name="item"/>: the adds of it this state has seen no longer keep it alive.</summary>
    /// <param name="item">The element.</param>
    /// <returns>The new set; this instance when <paramref name="item"/> is absent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is <see langword="null"/>.</exception>
    public ORSet<T> Remove(T item) => RemoveCore(item, withDelta: false, out _);

    /// <summary>Removes <paramref name="item"/> and returns the delta.</summary>
    /// <param name="item">The element.</param>
    /// <param name="delta">The mutation as a set: no elements and a context of the removed dots (O(1) in the set's
    /// size); the empty set when <paramref name="item"/> is absent.</param>
    /// <returns>The new set; this instance when <paramref name="item"/> is absent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is <see langword="null"/>.</exception>
    public ORSet<T> Remove(T item, out ORSet<T> delta) => RemoveCore(item, withDelta: true, out delta);

    private ORSet<T> RemoveCore(T item, bool withDelta, out ORSet<T> delta)
    {
        if (item is null)
        {
            throw new ArgumentNullException(nameof(item));
        }

        if (!_entries.TryGetValue(item, out Dot[]? removed))
        {
            delta = withDelta ? EmptyLike() : null!;
            return this;
        }

        delta = withDelta ? new ORSet<T>(SortedTree<T, Dot[]>.Empty(Comparer), EmptyIndex, CausalContext.Create(VersionVector.Empty, removed)) : null!;
        return new ORSet<T>(_entries.Remove(item), _index.Replace(item, removed, []), _context);
    }

    /// <summary>Removes every element (an observed remove of each): the context keeps every event.</summary>
    /// <returns>The new set; this instance when it is already empty.</returns>
    public ORSet<T> Clear() => Clear(out _);

    /// <summary>Removes every element and returns the delta.</summary>
    /// <param name="delta">The mutation as a set: no elements and a context of every removed dot (O(n)).</param>
    /// <returns>The new set; this instance when it is already empty.</returns>
    public ORSet<T> Clear(out ORSet<T> delta)
    {
        if (_entries.Count == 0)
        {
            delta = EmptyLike();
            return this;
        }

        var removed = new List<Dot>(_entries.Count);
        foreach (KeyValuePair<T, Dot[]> entry in _entries)
        {
            removed.AddRange(entry.Value);
        }

        SortedTree<T, Dot[]> none = SortedTree<T, Dot[]>.Empty(Comparer);
        delta = new ORSet<T>(none, EmptyIndex, CausalContext.Create(VersionVector.Empty, removed));
        return new ORSet<T>(none, EmptyIndex, _context);
    }

    /// <summary>Returns the observed-remove join of this state and <paramref name="other"/>.</summary>
    /// <param name="other">A state (full or delta) of the same set, with the same comparer.</param>
    /// <returns>The merged set; this instance when <paramref name="other"/> adds nothing, <paramref name="other"/>
    /// when the result equals it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The sets are ordered by different comparers.</exception>
    public ORSet<T> Merge(ORSet<T> other) => MergeUsing(other, MergeStrategy.Auto);

    /// <summary>Merges with a chosen strategy (tests compare them; every strategy gives the same result).</summary>
    internal ORSet<T> MergeUsing(ORSet<T> other, MergeStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(this, other) || other._context.IsEmpty)
        {
            return this;
        }

        if (_context.IsEmpty)
        {
            return other;
        }

        if (!KeyOrder.SameOrder(Comparer, other.Comparer))
        {
            throw new ArgumentException("Cannot merge sets ordered by different comparers.", nameof(other));
        }

        CausalContext context = _context.Merge(other._context);
        SortedTree<T, Dot[]> entries;
        DotIndex<T> index;
        long thisWeight = Weight();
        long otherWeight = other.Weight();
        int factor = strategy switch { MergeStrategy.Join => int.MaxValue, MergeStrategy.PointUpdates => 0, _ => SmallMergeFactor };
        if (otherWeight * factor < thisWeight || (factor == 0 && otherWeight <= thisWeight))
        {
            (entries, index) = MergeSmall(this, other);
        }
        else if (thisWeight * factor < otherWeight || factor == 0)
        {
            (entries, index) = MergeSmall(other, this);
        }
        else
        {
            var changes = new List<SortedTreeChange<T, Dot[]>>();
            entries = _entries.Join(other._entries, new ORSetJoiner(_context, other._context), 0, 0, changes, out _);

            // The index follows the entries: when they come out equal to one side's, so does its index; otherwise
            // the join's changes relative to its primary input are applied to that input's index.
            index = ReferenceEquals(entries, _entries) ? _index
                : ReferenceEquals(entries, other._entries) ? other._index
                : (_entries.IsPrimaryOther(other._entries) ? other._index : _index).Patch(changes);
        }

        if (ReferenceEquals(entries, _entries) && (ReferenceEquals(context, _context) || context.Equals(_context)))
        {
            return this;
        }

        if (ReferenceEquals(entries, other._entries) && (ReferenceEquals(context, other._context) || context.Equals(other._context)))
        {
            return other;
        }

        return new ORSet<T>(entries, index, context);
    }

    /// <summary>Returns a mutable builder starting from this set, for batches of operations.</summary>
    /// <returns>The builder.</returns>
    public Builder ToBuilder() => new(this);

    /// <summary>Returns an allocation-free enumerator over the elements in <see cref="Comparer"/> order.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(_entries);

    /// <inheritdoc />
    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Returns whether both states are equal: same comparer, elements, dots and context. O(n).</summary>
    /// <param name="other">The set to compare with.</param>
    /// <returns>Whether the states are equal.</returns>
    public bool Equals([NotNullWhen(true)] ORSet<T>? other) =>
        ReferenceEquals(this, other) ||
        (other is not null &&
         KeyOrder.SameOrder(Comparer, other.Comparer) &&
         _context.Equals(other._context) &&
         _entries.SequenceEqual(other._entries, EqualityComparer<T>.Default, DotArrayEquality.Instance));

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as ORSet<T>);

    /// <summary>Returns a hash code consistent with <see cref="Equals(ORSet{T})"/>, in O(n).</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(_context);
        foreach (KeyValuePair<T, Dot[]> entry in _entries)
        {
            hash.Add(entry.Key);
            foreach (Dot dot in entry.Value)
            {
                hash.Add(dot);
            }
        }

        return hash.ToHashCode();
    }

    /// <summary>Returns the elements and context as <c>{x, y} @ [a:2]</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString()
    {
        var text = new StringBuilder("{");
        bool first = true;
        foreach (T item in this)
        {
            text.Append(first ? string.Empty : ", ").Append(item);
            first = false;
        }

        return text.Append("} @ ").Append(_context).ToString();
    }

    /// <summary>Gets the dot index as one tree (which element each dot keeps alive), for tests.</summary>
    internal SortedTree<Dot, T> DotIndexTree => _index.Tree;

    /// <summary>Returns the element entries (element, sorted dots) in element order, for encoders.</summary>
    internal SortedTree<T, Dot[]>.Enumerator GetEntryEnumerator() => _entries.GetEnumerator();

    /// <summary>Gets the entry tree, for encoders that walk it leaf by leaf.</summary>
    internal SortedTree<T, Dot[]> EntryTree => _entries;

    /// <summary>
    /// Creates a set from decoded parts after checking every invariant: elements strictly increasing under
    /// <paramref name="comparer"/>; each element's dots non-empty, strictly increasing and held by
    /// <paramref name="context"/>; no dot on two elements.
    /// </summary>
    /// <exception cref="ArgumentException">An invariant does not hold (the message says which).</exception>
    internal static ORSet<T> FromParts(IComparer<T> comparer, T[] items, Dot[][] dots, CausalContext context)
    {
        ArgumentNullException.ThrowIfNull(comparer);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(dots);
        ArgumentNullException.ThrowIfNull(context);
        if (items.Length != dots.Length)
        {
            throw new ArgumentException("Every element needs its dots.", nameof(dots));
        }

        if (!SortedTree<T, Dot[]>.IsStrictlyIncreasing(comparer, items))
        {
            throw new ArgumentException("Elements must be strictly increasing in the set's order.", nameof(items));
        }

        int total = 0;
        for (int i = 0; i < items.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(items[i], nameof(items));
            Dot[] elementDots = dots[i] ?? throw new ArgumentException("An element's dots must not be null.", nameof(dots));
            if (elementDots.Length == 0)
            {
                throw new ArgumentException("An element needs at least one dot.", nameof(dots));
            }

            for (int j = 0; j < elementDots.Length; j++)
            {
                if (elementDots[j].Replica.IsDefault || (j > 0 && elementDots[j - 1].CompareTo(elementDots[j]) >= 0))
                {
                    throw new ArgumentException("An element's dots must be valid and strictly increasing.", nameof(dots));
                }

                if (!context.Contains(elementDots[j]))
                {
                    throw new ArgumentException("Every element dot must be in the context.", nameof(context));
                }

            }

            total += elementDots.Length;
        }

        var indexDots = new Dot[total];
        var indexItems = new T[total];
        int n = 0;
        for (int i = 0; i < items.Length; i++)
        {
            foreach (Dot dot in dots[i])
            {
                indexDots[n] = dot;
                indexItems[n++] = items[i];
            }
        }

        // Sorted into dot order, a dot on two elements shows up as two equal neighbours.
        Array.Sort(indexDots, indexItems);
        for (int k = 1; k < indexDots.Length; k++)
        {
            if (indexDots[k - 1].Equals(indexDots[k]))
            {
                throw new ArgumentException("A dot can keep only one element alive.", nameof(dots));
            }
        }

        return new ORSet<T>(SortedTree<T, Dot[]>.FromSorted(comparer, items, dots), new DotIndex<T>(SortedTree<Dot, T>.FromSorted(Comparer<Dot>.Default, indexDots, indexItems)), context);
    }

    /// <summary>Creates a set from trees a builder or a decoder has produced consistently (the index exactly the inverse of the entries, every dot in the context).</summary>
    internal static ORSet<T> FromTrees(SortedTree<T, Dot[]> entries, SortedTree<Dot, T> index, CausalContext context) =>
        new(entries, new DotIndex<T>(index), context);

    /// <summary>Returns the empty set with this set's comparer.</summary>
    private ORSet<T> EmptyLike() =>
        DefaultEmpty is not null && ReferenceEquals(Comparer, DefaultEmpty.Comparer) ? DefaultEmpty : new ORSet<T>(SortedTree<T, Dot[]>.Empty(Comparer), EmptyIndex, CausalContext.Empty);

    /// <summary>Element-dot equality for structural comparison.</summary>
    private sealed class DotArrayEquality : IEqualityComparer<Dot[]>
    {
        public static readonly DotArrayEquality Instance = new();

        public bool Equals(Dot[]? x, Dot[]? y) => x is not null && y is not null && ElementDots.SequenceEqual(x, y);

        public int GetHashCode(Dot[] obj) => obj.Length;
    }
}
