using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;
using Sync.Crdt.Encoding;
using Sync.Crdt.Encoding.Codecs;
using Sync.Crdt.Encoding.Json;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Maps;

/// <summary>
/// An observed-remove map of nested CRDTs: each key holds a value of a Sync.Crdt type (a counter, register, set,
/// <see cref="LWWMap{TKey, TValue}"/> or another <see cref="ORMap{TKey, TValue}"/>) that replicas update with the
/// value's own mutators; keys are add-wins (update-wins) like the elements of an <see cref="ORSet{T}"/>.
/// </summary>
/// <typeparam name="TKey">The key type; ordered by <see cref="Comparer"/>.</typeparam>
/// <typeparam name="TValue">The nested CRDT type.</typeparam>
/// <remarks>
/// <para><b>State.</b> Each key maps to the updates (dots) that keep it alive, each with the value its update wrote;
/// a <see cref="CausalContext"/> records every update the state has seen. An update by replica r takes a fresh dot,
/// applies the nested mutator to the key's current value and stores the result under that one dot, replacing the
/// key's dots r had seen (the result includes their values). A remove drops the key's dots; they stay in the context,
/// so no tombstone remains.</para>
/// <para><b>Merge</b> joins each key's dots as an OR-set joins an element's (a dot survives when both sides hold it or
/// the other side never saw it) and keeps, for every surviving dot, the value written with it. A key's visible value
/// is the join (<see cref="IMergeable{T}.Merge"/>) of its surviving dots' values: one value, except after concurrent
/// updates.</para>
/// <para><b>Concurrent update and remove.</b> A remove removes exactly the updates its replica had observed: a key
/// stays present iff some update of it was not observed by a remove (or a later update) of it, and its value is then
/// the join of the values those unobserved updates wrote. Consequences, for every nested type:</para>
/// <list type="bullet">
/// <item><description>A remove followed (causally) by an update starts the key from <c>TValue.Empty</c>: nothing the
/// remover saw comes back, on any replica, in any delivery order.</description></item>
/// <item><description>An update concurrent with a remove survives with the whole value its replica wrote, which
/// includes what that replica had seen of the key before, even the part the remover saw (as in Akka's ORMap and
/// riak_dt's map). The remove therefore resets only the updates that no surviving update built upon. A true
/// "subtract what the remover saw" would need an inverse that counters and registers do not have; states built
/// from per-update deltas alone (which would give it) grow with every update, so this map does not keep
/// them.</description></item>
/// <item><description>Concurrent updates of one key join: two replicas incrementing a nested counter concurrently both
/// count.</description></item>
/// </list>
/// <para><b>Nested replica ids.</b> Nested mutators run under <c>replica#n</c>, where n is the counter of the update that
/// started the replica's current lineage of the key (its first update after the key was absent there). A value rebuilt
/// after a remove therefore never reuses the nested dots or counter entries of a value it replaced (which could still
/// exist concurrently elsewhere). Replica ids must leave room for the suffix (see <see cref="ReplicaId.MaxLength"/>).</para>
/// <para><b>Deltas.</b> <see cref="Update(ReplicaId, TKey, DeltaMutator{TValue}, out ORMap{TKey, TValue})"/> returns a map
/// holding the one key with its new dot and value, and a context of that dot and the key's replaced dots; its size is
/// the size of that key's nested value (not of the map). A remove's delta holds a context of the removed dots. Deltas
/// merge with each other and with full states in any order, duplicated or delayed, with the same result as shipping
/// full states (the delivery rule of <see cref="ORSet{T}"/>).</para>
/// <para><b>Order and equality.</b> Keys are sorted by <see cref="Comparer"/> (ordinal for strings,
/// <see cref="Comparer{T}.Default"/> for <see cref="IComparable{T}"/> types, or a comparer you pass). Equality is
/// structural over the whole state. Merging maps with different comparers throws <see cref="ArgumentException"/>.</para>
/// <para><b>Complexity</b> (n keys, r replicas in the context): lookups O(log n); <c>Update</c> and <c>Remove</c>
/// O(log n + r) plus the nested mutator; <see cref="Merge"/> O(n + m) comparisons at worst, but it skips leaves the two
/// states share and allocates only the changed leaves, so replicas that share ancestry merge in time proportional to
/// the changed keys' leaves; a state at least 16 times lighter (a delta) merges by point updates in O((e + d) log n).
/// Equality and hashing are O(n).</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
[Immutable]
public sealed partial class ORMap<TKey, TValue> : ICrdt<ORMap<TKey, TValue>>, IReadOnlyDictionary<TKey, TValue>
    where TKey : notnull
    where TValue : class, ICrdt<TValue>
{
    private static readonly IComparer<TKey>? DefaultComparer = KeyOrder.DefaultOrNull<TKey>();
    private static readonly DotIndex<TKey> EmptyIndex = DotIndex<TKey>.Empty;
    private static readonly ORMap<TKey, TValue>? DefaultEmpty = DefaultComparer is null ? null : new(SortedTree<TKey, ORMapSlot>.Empty(DefaultComparer), EmptyIndex, CausalContext.Empty);

    private readonly SortedTree<TKey, ORMapSlot> _entries;
    private readonly DotIndex<TKey> _index;
    private readonly CausalContext _context;

    private ORMap(SortedTree<TKey, ORMapSlot> entries, DotIndex<TKey> index, CausalContext context)
    {
        _entries = entries;
        _index = index;
        _context = context;
    }

    /// <summary>Gets the empty map (no keys, empty context) ordered by the default order of <typeparamref name="TKey"/>.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="TKey"/> has no default order; use <see cref="CreateEmpty(IComparer{TKey})"/>.</exception>
    public static ORMap<TKey, TValue> Empty => DefaultEmpty ?? throw new InvalidOperationException(KeyOrder.NoOrderMessage(typeof(TKey), "map"));

    /// <inheritdoc />
    static JsonConverter<ORMap<TKey, TValue>> ICrdt<ORMap<TKey, TValue>>.JsonConverter => ORMapJsonConverter<TKey, TValue>.Instance;

    /// <summary>Gets the key order. Every replica of one map must use the same order.</summary>
    public IComparer<TKey> Comparer => _entries.Comparer;

    /// <summary>Gets every update this state has seen, including those of keys since removed.</summary>
    public CausalContext Context => _context;

    /// <summary>Gets the number of keys, in O(1).</summary>
    public int Count => _entries.Count;

    /// <summary>Gets a value indicating whether the map has no keys (its context may still hold updates).</summary>
    public bool IsEmpty => _entries.Count == 0;

    /// <summary>Gets the keys in key order.</summary>
    public IEnumerable<TKey> Keys
    {
        get
        {
            foreach (KeyValuePair<TKey, ORMapSlot> entry in _entries)
            {
                yield return entry.Key;
            }
        }
    }

    /// <summary>Gets the keys' visible values in key order.</summary>
    public IEnumerable<TValue> Values
    {
        get
        {
            foreach (KeyValuePair<TKey, ORMapSlot> entry in _entries)
            {
                yield return ((ORMapSlot<TValue>)entry.Value).Value;
            }
        }
    }

    /// <summary>Gets the visible value of <paramref name="key"/>, in O(log n).</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException"><paramref name="key"/> is not in the map.</exception>
    public TValue this[TKey key] => TryGetValue(key, out TValue? value)
        ? value
        : throw new KeyNotFoundException(string.Create(CultureInfo.InvariantCulture, $"The key '{key}' is not in the map."));

    /// <inheritdoc />
    static ICrdtValueCodec<ORMap<TKey, TValue>> ICrdt<ORMap<TKey, TValue>>.CreateCodec(CrdtSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ORMapCodec<TKey, TValue>(options);
    }

    /// <summary>Returns the empty map ordered by <paramref name="comparer"/> (for key types without a default order, or another order).</summary>
    /// <param name="comparer">A deterministic total order of the keys, the same on every replica.</param>
    /// <returns>The empty map; <see cref="Empty"/> itself when <paramref name="comparer"/> is the default order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="comparer"/> is <see langword="null"/>.</exception>
    public static ORMap<TKey, TValue> CreateEmpty(IComparer<TKey> comparer)
    {
        ArgumentNullException.ThrowIfNull(comparer);
        return DefaultEmpty is not null && KeyOrder.SameOrder(comparer, DefaultEmpty.Comparer)
            ? DefaultEmpty
            : new ORMap<TKey, TValue>(SortedTree<TKey, ORMapSlot>.Empty(comparer), EmptyIndex, CausalContext.Empty);
    }

    /// <summary>
    /// Creates a map from its parts, such as a codec reads them: the updates that keep keys alive, in any order, and
    /// the causal context. Every invariant is checked, so the result is a valid state.
    /// </summary>
    /// <param name="entries">Each surviving update with its key, incarnation and value (see <see cref="EnumerateEntries"/>
    /// for the other direction); a key may have several (concurrent updates).</param>
    /// <param name="context">Every update the state has seen; must contain every entry's dot.</param>
    /// <param name="comparer">The key order; <see langword="null"/> for the default order of <typeparamref name="TKey"/>.</param>
    /// <returns>The map. O(n log n) for n entries.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entries"/> or <paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An entry is the default entry, a dot appears twice, or a dot is missing from
    /// <paramref name="context"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="comparer"/> is <see langword="null"/> and <typeparamref name="TKey"/> has no default order.</exception>
    public static ORMap<TKey, TValue> Create(IEnumerable<ORMapEntry<TKey, TValue>> entries, CausalContext context, IComparer<TKey>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(context);
        IComparer<TKey> order = comparer ?? DefaultComparer ?? throw new InvalidOperationException(KeyOrder.NoOrderMessage(typeof(TKey), "map"));
        var list = new List<ORMapEntry<TKey, TValue>>(entries);
        foreach (ORMapEntry<TKey, TValue> entry in list)
        {
            if (entry.Key is null || entry.Value is null || entry.Dot.Replica.IsDefault)
            {
                throw new ArgumentException("An entry is the default entry; every entry needs a key, a dot and a value.", nameof(entries));
            }
        }

        list.Sort((x, y) =>
        {
            int byKey = order.Compare(x.Key, y.Key);
            return byKey != 0 ? byKey : x.Dot.CompareTo(y.Dot);
        });
        var keys = new List<TKey>();
        var slots = new List<ORMapSlot>();
        for (int start = 0; start < list.Count;)
        {
            int end = start + 1;
            while (end < list.Count && order.Compare(list[start].Key, list[end].Key) == 0)
            {
                end++;
            }

            var dots = new Dot[end - start];
            var incarnations = new long[end - start];
            var values = new TValue[end - start];
            for (int k = start; k < end; k++)
            {
                dots[k - start] = list[k].Dot;
                incarnations[k - start] = list[k].Incarnation;
                values[k - start] = list[k].Value;
            }

            keys.Add(list[start].Key);
            slots.Add(new ORMapSlot<TValue>(dots, incarnations, values));
            start = end;
        }

        if (keys.Count == 0 && context.IsEmpty)
        {
            return CreateEmpty(order);
        }

        return FromParts(order, keys.ToArray(), slots.ToArray(), context);
    }

    /// <summary>Gets the visible value of <paramref name="key"/>, in O(log n).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The key's value (the join of its surviving updates' values) when present; otherwise <see langword="null"/>.</param>
    /// <returns>Whether the key is in the map.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }

        if (_entries.TryGetValue(key, out ORMapSlot? slot))
        {
            value = ((ORMapSlot<TValue>)slot).Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>Returns whether <paramref name="key"/> is in the map, in O(log n).</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether the key is present.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public bool ContainsKey(TKey key)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }

        return _entries.ContainsKey(key);
    }

    /// <summary>Enumerates every surviving update (key, dot, incarnation, value) in key order, then dot order: the parts
    /// a codec writes.</summary>
    /// <returns>The entries.</returns>
    public IEnumerable<ORMapEntry<TKey, TValue>> EnumerateEntries()
    {
        foreach (KeyValuePair<TKey, ORMapSlot> entry in _entries)
        {
            var slot = (ORMapSlot<TValue>)entry.Value;
            for (int i = 0; i < slot.Dots.Length; i++)
            {
                yield return new ORMapEntry<TKey, TValue>(entry.Key, slot.Dots[i], slot.Incarnations[i], slot.Values[i]);
            }
        }
    }

    /// <summary>
    /// Updates the value of <paramref name="key"/> with a nested mutator, as <paramref name="replica"/>: the mutator gets
    /// the key's current value (<c>TValue.Empty</c> when the key is absent) and the nested replica id to write under.
    /// </summary>
    /// <param name="replica">The acting replica; it must be the only writer using this id.</param>
    /// <param name="key">The key.</param>
    /// <param name="mutator">The nested update, for example <c>(GCounter c, ReplicaId r, out GCounter d) =&gt; c.Increment(r, 1, out d)</c>.
    /// It receives <c>replica#n</c> (see the type's remarks), not <paramref name="replica"/>.</param>
    /// <returns>The new map; this instance when the mutator returned the current value (changed nothing).</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id or too long for the nested id.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="mutator"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The mutator returned <see langword="null"/>, or the key is absent and
    /// <typeparamref name="TValue"/> has no default empty value.</exception>
    /// <exception cref="OverflowException">The replica's event counter is exhausted.</exception>
    public ORMap<TKey, TValue> Update(ReplicaId replica, TKey key, DeltaMutator<TValue> mutator) => UpdateCore(replica, key, mutator, withDelta: false, out _);

    /// <summary>Updates the value of <paramref name="key"/> with a nested mutator and returns the map-level delta.</summary>
    /// <param name="replica">The acting replica; it must be the only writer using this id.</param>
    /// <param name="key">The key.</param>
    /// <param name="mutator">The nested update; it receives the nested replica id <c>replica#n</c>.</param>
    /// <param name="delta">The mutation as a map: the key with its new dot and value, and a context of that dot and
    /// the key's replaced dots (size: the key's nested value). The empty map when nothing changed.</param>
    /// <returns>The new map; this instance when the mutator changed nothing.</returns>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id or too long for the nested id.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="mutator"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The mutator returned <see langword="null"/>, or the key is absent and
    /// <typeparamref name="TValue"/> has no default empty value.</exception>
    /// <exception cref="OverflowException">The replica's event counter is exhausted.</exception>
    public ORMap<TKey, TValue> Update(ReplicaId replica, TKey key, DeltaMutator<TValue> mutator, out ORMap<TKey, TValue> delta) =>
        UpdateCore(replica, key, mutator, withDelta: true, out delta);

    private ORMap<TKey, TValue> UpdateCore(ReplicaId replica, TKey key, DeltaMutator<TValue> mutator, bool withDelta, out ORMap<TKey, TValue> delta)
    {
        ReplicaId.ThrowIfDefault(replica, nameof(replica));
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }

        ArgumentNullException.ThrowIfNull(mutator);
        SortedTree<TKey, ORMapSlot>.Location location = _entries.Locate(key);
        var slot = (ORMapSlot<TValue>?)location.Value;
        TValue current = slot?.Value ?? TValue.Empty;
        Dot dot = _context.NextDot(replica);
        long incarnation = slot?.IncarnationOf(replica) ?? 0;
        if (incarnation == 0)
        {
            incarnation = dot.Counter;
        }

        TValue next = mutator(current, ORMapSlot.Writer(replica, incarnation), out _)
            ?? throw new InvalidOperationException("The nested mutator returned null; a mutator returns the new value, or the current value when it changes nothing.");
        if (ReferenceEquals(next, current))
        {
            delta = withDelta ? EmptyLike() : null!;
            return this;
        }

        var written = ORMapSlot<TValue>.Single(dot, incarnation, next);
        Dot[] replaced = slot?.Dots ?? [];
        delta = null!;
        if (withDelta)
        {
            CausalContext deltaContext = replaced.Length == 0 ? CausalContext.Empty.Add(dot) : CausalContext.Create(VersionVector.Empty, [.. replaced, dot]);
            delta = new ORMap<TKey, TValue>(SortedTree<TKey, ORMapSlot>.Single(Comparer, key, written), new DotIndex<TKey>(SortedTree<Dot, TKey>.Single(Comparer<Dot>.Default, dot, key)), deltaContext);
        }

        return new ORMap<TKey, TValue>(_entries.SetAt(in location, key, written), _index.Replace(key, replaced, written.Dots), _context.Add(dot));
    }

    /// <summary>Removes <paramref name="key"/>: the updates of it this state has seen no longer keep it alive.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The new map; this instance when <paramref name="key"/> is absent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public ORMap<TKey, TValue> Remove(TKey key) => RemoveCore(key, withDelta: false, out _);

    /// <summary>Removes <paramref name="key"/> and returns the delta.</summary>
    /// <param name="key">The key.</param>
    /// <param name="delta">The mutation as a map: no keys and a context of the removed dots (O(1) in the map's size); the
    /// empty map when <paramref name="key"/> is absent.</param>
    /// <returns>The new map; this instance when <paramref name="key"/> is absent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public ORMap<TKey, TValue> Remove(TKey key, out ORMap<TKey, TValue> delta) => RemoveCore(key, withDelta: true, out delta);

    private ORMap<TKey, TValue> RemoveCore(TKey key, bool withDelta, out ORMap<TKey, TValue> delta)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }

        if (!_entries.TryGetValue(key, out ORMapSlot? removed))
        {
            delta = withDelta ? EmptyLike() : null!;
            return this;
        }

        delta = withDelta ? new ORMap<TKey, TValue>(SortedTree<TKey, ORMapSlot>.Empty(Comparer), EmptyIndex, CausalContext.Create(VersionVector.Empty, removed.Dots)) : null!;
        return new ORMap<TKey, TValue>(_entries.Remove(key), _index.Replace(key, removed.Dots, []), _context);
    }

    /// <summary>Removes every key (an observed remove of each); the context keeps every update.</summary>
    /// <returns>The new map; this instance when it has no keys.</returns>
    public ORMap<TKey, TValue> Clear() => Clear(out _);

    /// <summary>Removes every key and returns the delta.</summary>
    /// <param name="delta">The mutation as a map: no keys and a context of every removed dot (O(n)).</param>
    /// <returns>The new map; this instance when it has no keys.</returns>
    public ORMap<TKey, TValue> Clear(out ORMap<TKey, TValue> delta)
    {
        if (_entries.Count == 0)
        {
            delta = EmptyLike();
            return this;
        }

        var removed = new List<Dot>(_entries.Count);
        foreach (KeyValuePair<TKey, ORMapSlot> entry in _entries)
        {
            removed.AddRange(entry.Value.Dots);
        }

        SortedTree<TKey, ORMapSlot> none = SortedTree<TKey, ORMapSlot>.Empty(Comparer);
        delta = new ORMap<TKey, TValue>(none, EmptyIndex, CausalContext.Create(VersionVector.Empty, removed));
        return new ORMap<TKey, TValue>(none, EmptyIndex, _context);
    }

    /// <summary>Returns the observed-remove join of this state and <paramref name="other"/>.</summary>
    /// <param name="other">A state (full or delta) of the same map, with the same comparer.</param>
    /// <returns>The merged map; this instance when <paramref name="other"/> adds nothing, <paramref name="other"/>
    /// when the result equals it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The maps are ordered by different comparers.</exception>
    public ORMap<TKey, TValue> Merge(ORMap<TKey, TValue> other) => MergeUsing(other, MergeStrategy.Auto);

    /// <summary>Merges with a chosen strategy (tests compare them; every strategy gives the same result).</summary>
    internal ORMap<TKey, TValue> MergeUsing(ORMap<TKey, TValue> other, MergeStrategy strategy)
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
            throw new ArgumentException("Cannot merge maps ordered by different comparers.", nameof(other));
        }

        CausalContext context = _context.Merge(other._context);
        SortedTree<TKey, ORMapSlot> entries;
        DotIndex<TKey> index;
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
            var changes = new List<SortedTreeChange<TKey, ORMapSlot>>();
            entries = _entries.Join(other._entries, new ORMapJoiner(_context, other._context), 0, 0, changes, out _);
            index = ReferenceEquals(entries, _entries) ? _index
                : ReferenceEquals(entries, other._entries) ? other._index
                : (_entries.IsPrimaryOther(other._entries) ? other._index : _index).Patch(DotChanges(changes));
        }

        if (ReferenceEquals(entries, _entries) && (ReferenceEquals(context, _context) || context.Equals(_context)))
        {
            return this;
        }

        if (ReferenceEquals(entries, other._entries) && (ReferenceEquals(context, other._context) || context.Equals(other._context)))
        {
            return other;
        }

        return new ORMap<TKey, TValue>(entries, index, context);
    }

    /// <summary>Returns an allocation-free enumerator over the keys and their visible values in key order.</summary>
    /// <returns>The enumerator.</returns>
#pragma warning disable RS0041 // The analyzer cannot annotate a struct nested in a type whose argument is constrained to a class; nothing here is nullable.
    public Enumerator GetEnumerator() => new(_entries);
#pragma warning restore RS0041

    /// <inheritdoc />
    IEnumerator<KeyValuePair<TKey, TValue>> IEnumerable<KeyValuePair<TKey, TValue>>.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Returns whether both states are equal: same comparer, keys, updates (dots, incarnations, values) and context. O(n).</summary>
    /// <param name="other">The map to compare with.</param>
    /// <returns>Whether the states are equal.</returns>
    public bool Equals([NotNullWhen(true)] ORMap<TKey, TValue>? other) =>
        ReferenceEquals(this, other) ||
        (other is not null &&
         KeyOrder.SameOrder(Comparer, other.Comparer) &&
         _context.Equals(other._context) &&
         _entries.SequenceEqual(other._entries, EqualityComparer<TKey>.Default, SlotEquality.Instance));

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as ORMap<TKey, TValue>);

    /// <summary>Returns a hash code consistent with <see cref="Equals(ORMap{TKey, TValue})"/>, in O(n).</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(_context);
        foreach (KeyValuePair<TKey, ORMapSlot> entry in _entries)
        {
            hash.Add(entry.Key);
            var slot = (ORMapSlot<TValue>)entry.Value;
            for (int i = 0; i < slot.Dots.Length; i++)
            {
                hash.Add(slot.Dots[i]);
                hash.Add(slot.Incarnations[i]);
                hash.Add(slot.Values[i]);
            }
        }

        return hash.ToHashCode();
    }

    /// <summary>Returns the keys and values and the context as <c>{k=v, ...} @ [a:2]</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString()
    {
        var text = new StringBuilder("{");
        bool first = true;
        foreach (KeyValuePair<TKey, TValue> entry in this)
        {
            text.Append(first ? string.Empty : ", ").Append(entry.Key).Append('=').Append(entry.Value);
            first = false;
        }

        return text.Append("} @ ").Append(_context).ToString();
    }

    /// <summary>Returns the entries (key, slot) in key order, for encoders.</summary>
    internal SortedTree<TKey, ORMapSlot>.Enumerator GetEntryEnumerator() => _entries.GetEnumerator();

    /// <summary>
    /// Creates a map from decoded parts after checking every invariant: keys strictly increasing under
    /// <paramref name="comparer"/>; each key's dots non-empty, strictly increasing, held by <paramref name="context"/>, with
    /// incarnations in [1, counter] and non-null values; no dot on two keys.
    /// </summary>
    /// <exception cref="ArgumentException">An invariant does not hold (the message says which).</exception>
    internal static ORMap<TKey, TValue> FromParts(IComparer<TKey> comparer, TKey[] keys, ORMapSlot[] slots, CausalContext context)
    {
        ArgumentNullException.ThrowIfNull(comparer);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(context);
        if (keys.Length != slots.Length)
        {
            throw new ArgumentException("Every key needs its updates.", nameof(slots));
        }

        if (!SortedTree<TKey, ORMapSlot>.IsStrictlyIncreasing(comparer, keys))
        {
            throw new ArgumentException("Keys must be strictly increasing in the map's order.", nameof(keys));
        }

        var all = new HashSet<Dot>();
        for (int i = 0; i < keys.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(keys[i], nameof(keys));
            if (slots[i] is not ORMapSlot<TValue> slot || slot.Dots.Length == 0)
            {
                throw new ArgumentException("A key needs at least one update.", nameof(slots));
            }

            for (int j = 0; j < slot.Dots.Length; j++)
            {
                Dot dot = slot.Dots[j];
                if (dot.Replica.IsDefault || (j > 0 && slot.Dots[j - 1].CompareTo(dot) >= 0))
                {
                    throw new ArgumentException("A key's dots must be valid and strictly increasing.", nameof(slots));
                }

                if (slot.Incarnations[j] < 1 || slot.Incarnations[j] > dot.Counter)
                {
                    throw new ArgumentException($"The incarnation of dot {dot} must be between 1 and its counter.", nameof(slots));
                }

                if (slot.Values[j] is null)
                {
                    throw new ArgumentException("A value must not be null.", nameof(slots));
                }

                if (!context.Contains(dot))
                {
                    throw new ArgumentException($"Dot {dot} is not in the context.", nameof(context));
                }

                if (!all.Add(dot))
                {
                    throw new ArgumentException($"Dot {dot} keeps two keys alive; a dot names one update.", nameof(slots));
                }
            }
        }

        var indexDots = new Dot[all.Count];
        var indexKeys = new TKey[all.Count];
        int n = 0;
        for (int i = 0; i < keys.Length; i++)
        {
            foreach (Dot dot in slots[i].Dots)
            {
                indexDots[n] = dot;
                indexKeys[n++] = keys[i];
            }
        }

        Array.Sort(indexDots, indexKeys);
        return new ORMap<TKey, TValue>(SortedTree<TKey, ORMapSlot>.FromSorted(comparer, keys, slots), new DotIndex<TKey>(SortedTree<Dot, TKey>.FromSorted(Comparer<Dot>.Default, indexDots, indexKeys)), context);
    }

    /// <summary>
    /// Creates a map from trees a decoder has built and checked against every invariant of <see cref="FromParts"/>
    /// (the index exactly the inverse of the entries, every dot in the context). O(1).
    /// </summary>
    internal static ORMap<TKey, TValue> FromTrees(SortedTree<TKey, ORMapSlot> entries, SortedTree<Dot, TKey> index, CausalContext context) =>
        new(entries, new DotIndex<TKey>(index), context);

    /// <summary>Creates a slot from decoded parts (validated by <see cref="FromParts"/> or by the decoder).</summary>
    internal static ORMapSlot CreateSlot(Dot[] dots, long[] incarnations, TValue[] values) => new ORMapSlot<TValue>(dots, incarnations, values);

    /// <summary>Converts a join's changed slots into the changed dots the index needs.</summary>
    private static List<SortedTreeChange<TKey, Dot[]>> DotChanges(List<SortedTreeChange<TKey, ORMapSlot>> changes)
    {
        var dots = new List<SortedTreeChange<TKey, Dot[]>>(changes.Count);
        foreach (SortedTreeChange<TKey, ORMapSlot> change in changes)
        {
            dots.Add(new SortedTreeChange<TKey, Dot[]>(change.Key, change.HadBefore, change.HadBefore ? change.Before.Dots : [], change.HasAfter, change.HasAfter ? change.After.Dots : []));
        }

        return dots;
    }

    /// <summary>Returns the empty map with this map's comparer.</summary>
    private ORMap<TKey, TValue> EmptyLike() =>
        DefaultEmpty is not null && ReferenceEquals(Comparer, DefaultEmpty.Comparer) ? DefaultEmpty : new ORMap<TKey, TValue>(SortedTree<TKey, ORMapSlot>.Empty(Comparer), EmptyIndex, CausalContext.Empty);

    /// <summary>Slot equality for structural comparison.</summary>
    private sealed class SlotEquality : IEqualityComparer<ORMapSlot>
    {
        public static readonly SlotEquality Instance = new();

        public bool Equals(ORMapSlot? x, ORMapSlot? y) => x is not null && y is not null && x.SameAs(y);

        public int GetHashCode(ORMapSlot obj) => obj.Dots.Length;
    }
}
