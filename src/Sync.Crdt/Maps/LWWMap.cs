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

namespace Sync.Crdt.Maps;

/// <summary>
/// A last-writer-wins map: each key holds the value of its latest write, and deletes stay deleted (they leave a
/// timestamped tombstone that older writes cannot overturn).
/// </summary>
/// <typeparam name="TKey">The key type; ordered by <see cref="Comparer"/>.</typeparam>
/// <typeparam name="TValue">The value type; <see langword="null"/> values are allowed.</typeparam>
/// <remarks>
/// <para><b>State.</b> Per key, the winning write: a put (value) or a delete (tombstone), with its
/// <see cref="LWWTimestamp"/> (time from an <see cref="ILogicalClock"/>, then replica id).</para>
/// <para><b>Merge</b> keeps, per key, the write with the greater timestamp. <b>Tie rule:</b> a put and a delete
/// with the same timestamp resolve to the delete. A timestamp must name one write: two different values written
/// under the same timestamp are invalid input (the explicit-timestamp mutators reject it when they can see it); a
/// merge meeting them keeps the greater value when <typeparamref name="TValue"/> has a default order, and this
/// instance's value otherwise. Merge is commutative, associative and idempotent; it returns this instance when
/// the result equals it, and the other state when the result equals that.</para>
/// <para><b>Deletes</b> are observed deletes: deleting a key with no live value here is a no-op (it returns this
/// instance and an empty delta), so a delete only overturns writes with lower timestamps. Tombstones stay until
/// <see cref="PruneTombstones"/> drops them, which is safe only once every replica has seen them.</para>
/// <para><b>Deltas.</b> Every mutator has an overload returning a delta: a map holding just the one winning write
/// (O(1)). Deltas merge with each other and with full states in any order, duplicated or delayed; no causal
/// delivery is needed, because each key's join is a maximum.</para>
/// <para><b>Order and equality.</b> Keys are sorted by <see cref="Comparer"/> (ordinal for strings,
/// <see cref="Comparer{T}.Default"/> for <see cref="IComparable{T}"/> types, or a comparer you pass): enumeration
/// and encodings are deterministic. Equality is structural over the whole state, tombstones included: the same
/// comparer and, per key (by <see cref="EqualityComparer{T}.Default"/>), the same timestamp, kind and value (by
/// <see cref="EqualityComparer{T}.Default"/>). Merging maps with different comparers throws
/// <see cref="ArgumentException"/>.</para>
/// <para><b>Complexity</b> (n keys incl. tombstones): lookups O(log n); puts and deletes O(log n) time and
/// allocation (a persistent B+-tree shares all but one path); <see cref="Merge"/> O(n + m), allocating only the
/// result's changed leaves; enumeration allocation-free; <see cref="Count"/> O(1); equality and hashing O(n).</para>
/// <para>Immutable and thread-safe. Batches go through <see cref="ToBuilder"/>.</para>
/// </remarks>
[Immutable]
public sealed partial class LWWMap<TKey, TValue> : ICrdt<LWWMap<TKey, TValue>>, IReadOnlyDictionary<TKey, TValue>
    where TKey : notnull
{
    private static readonly IComparer<TKey>? DefaultComparer = KeyOrder.DefaultOrNull<TKey>();
    private static readonly LWWMap<TKey, TValue>? DefaultEmpty = DefaultComparer is null ? null : new(SortedTree<TKey, LWWWrite>.Empty(DefaultComparer), 0);

    /// <summary>A merge walks both maps unless one has this many times fewer entries.</summary>
    private const int SmallMergeFactor = 16;

    private readonly SortedTree<TKey, LWWWrite> _entries;
    private readonly int _count;

    private LWWMap(SortedTree<TKey, LWWWrite> entries, int count)
    {
        _entries = entries;
        _count = count;
    }

    /// <summary>Gets the empty map ordered by the default order of <typeparamref name="TKey"/>.</summary>
    /// <exception cref="InvalidOperationException"><typeparamref name="TKey"/> has no default order; use <see cref="CreateEmpty(IComparer{TKey})"/>.</exception>
    public static LWWMap<TKey, TValue> Empty => DefaultEmpty ?? throw new InvalidOperationException(KeyOrder.NoOrderMessage(typeof(TKey), "map"));

    /// <inheritdoc />
    static JsonConverter<LWWMap<TKey, TValue>> ICrdt<LWWMap<TKey, TValue>>.JsonConverter => LWWMapJsonConverter<TKey, TValue>.Instance;

    /// <inheritdoc />
    static ICrdtValueCodec<LWWMap<TKey, TValue>> ICrdt<LWWMap<TKey, TValue>>.CreateCodec(CrdtSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LWWMapCodec<TKey, TValue>(options);
    }

    /// <summary>Gets the key order. Every replica of one map must use the same order.</summary>
    public IComparer<TKey> Comparer => _entries.Comparer;

    /// <summary>Gets the number of keys with a live value, in O(1).</summary>
    public int Count => _count;

    /// <summary>Gets the number of tombstones (deleted keys still remembered), in O(1).</summary>
    public int TombstoneCount => _entries.Count - _count;

    /// <summary>Gets a value indicating whether no key has a live value (tombstones may remain).</summary>
    public bool IsEmpty => _count == 0;

    /// <summary>Gets the live keys in key order.</summary>
    public IEnumerable<TKey> Keys
    {
        get
        {
            foreach (KeyValuePair<TKey, TValue> entry in this)
            {
                yield return entry.Key;
            }
        }
    }

    /// <summary>Gets the live values in key order.</summary>
    public IEnumerable<TValue> Values
    {
        get
        {
            foreach (KeyValuePair<TKey, TValue> entry in this)
            {
                yield return entry.Value;
            }
        }
    }

    /// <summary>Gets the live value of <paramref name="key"/>, in O(log n).</summary>
    /// <param name="key">The key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="KeyNotFoundException"><paramref name="key"/> has no live value.</exception>
    public TValue this[TKey key] => TryGetValue(key, out TValue? value)
        ? value
        : throw new KeyNotFoundException(string.Create(CultureInfo.InvariantCulture, $"The key '{key}' has no live value in the map."));

    /// <summary>Returns the empty map ordered by <paramref name="comparer"/> (for key types without a default order, or another order).</summary>
    /// <param name="comparer">A deterministic total order of the keys, the same on every replica.</param>
    /// <returns>The empty map; <see cref="Empty"/> itself when <paramref name="comparer"/> is the default order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="comparer"/> is <see langword="null"/>.</exception>
    public static LWWMap<TKey, TValue> CreateEmpty(IComparer<TKey> comparer)
    {
        ArgumentNullException.ThrowIfNull(comparer);
        return DefaultEmpty is not null && KeyOrder.SameOrder(comparer, DefaultEmpty.Comparer)
            ? DefaultEmpty
            : new LWWMap<TKey, TValue>(SortedTree<TKey, LWWWrite>.Empty(comparer), 0);
    }

    /// <summary>
    /// Creates a map from its parts, such as a codec reads them: the winning write of every key, tombstones
    /// included, in any order. Every invariant is checked, so the result is a valid state.
    /// </summary>
    /// <param name="entries">One write per key (see <see cref="EnumerateEntries"/> for the other direction).</param>
    /// <param name="comparer">The key order; <see langword="null"/> for the default order of <typeparamref name="TKey"/>.</param>
    /// <returns>The map. O(n log n) for n entries.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entries"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">An entry is the default (invalid) entry, or two entries have the same key.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="comparer"/> is <see langword="null"/> and <typeparamref name="TKey"/> has no default order.</exception>
    public static LWWMap<TKey, TValue> Create(IEnumerable<LWWMapEntry<TKey, TValue>> entries, IComparer<TKey>? comparer = null)
    {
        ArgumentNullException.ThrowIfNull(entries);
        comparer ??= DefaultComparer ?? throw new InvalidOperationException(KeyOrder.NoOrderMessage(typeof(TKey), "map"));
        var list = new List<LWWMapEntry<TKey, TValue>>(entries);
        if (list.Count == 0)
        {
            return CreateEmpty(comparer);
        }

        var keys = new TKey[list.Count];
        var writes = new LWWEntry<TValue>[list.Count];
        for (int i = 0; i < list.Count; i++)
        {
            LWWMapEntry<TKey, TValue> entry = list[i];
            if (entry.Key is null || entry.Timestamp.Replica.IsDefault)
            {
                throw new ArgumentException("An entry is the default entry; every entry needs a key and a valid timestamp.", nameof(entries));
            }

            keys[i] = entry.Key;
            writes[i] = new LWWEntry<TValue>(entry.Timestamp, entry.IsDeleted, entry.Value);
        }

        Array.Sort(keys, writes, comparer);
        for (int i = 1; i < keys.Length; i++)
        {
            if (comparer.Compare(keys[i - 1], keys[i]) == 0)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The key '{keys[i]}' has two entries; a map holds one write per key."), nameof(entries));
            }
        }

        return FromParts(comparer, keys, writes);
    }

    /// <summary>Gets the live value of <paramref name="key"/>, in O(log n).</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value when the key is live; otherwise <see langword="default"/>.</param>
    /// <returns>Whether the key has a live value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }

        if (_entries.TryGetValue(key, out LWWWrite? write) && !write.IsDeleted)
        {
            value = LWWEntry<TValue>.Of(write).Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Returns whether <paramref name="key"/> has a live value, in O(log n).</summary>
    /// <param name="key">The key.</param>
    /// <returns>Whether the key is live.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public bool ContainsKey(TKey key) => TryGetValue(key, out _);

    /// <summary>Gets the winning write of <paramref name="key"/>, put or delete, in O(log n).</summary>
    /// <param name="key">The key.</param>
    /// <param name="entry">The winning write when there is one (a tombstone when <see cref="LWWMapEntry{TKey, TValue}.IsDeleted"/>).</param>
    /// <returns>Whether the map holds any write for the key (a live value or a tombstone).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    public bool TryGetEntry(TKey key, out LWWMapEntry<TKey, TValue> entry)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }

        if (_entries.TryGetValue(key, out LWWWrite? write))
        {
            entry = ToEntry(key, write);
            return true;
        }

        entry = default;
        return false;
    }

    /// <summary>Enumerates the winning write of every key, tombstones included, in key order (what a codec writes). Allocation-free.</summary>
    /// <returns>The enumerable, usable in <see langword="foreach"/>.</returns>
    public EntryEnumerator EnumerateEntries() => new(_entries);

    /// <summary>
    /// Writes <paramref name="value"/> under <paramref name="key"/> as <paramref name="replica"/>, at a time from
    /// <paramref name="clock"/> after the key's current write, so the write wins here. O(log n).
    /// </summary>
    /// <param name="replica">The writing replica.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="clock">The replica's clock.</param>
    /// <returns>The new map.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="clock"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="clock"/> returned a time not after the key's current write.</exception>
    /// <exception cref="OverflowException">The clock cannot move past the current time.</exception>
    public LWWMap<TKey, TValue> Put(ReplicaId replica, TKey key, TValue value, ILogicalClock clock) => Put(replica, key, value, clock, out _);

    /// <summary>Writes <paramref name="value"/> under <paramref name="key"/> with a time from <paramref name="clock"/>, and returns the delta.</summary>
    /// <param name="replica">The writing replica.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="clock">The replica's clock.</param>
    /// <param name="delta">A map holding just this write.</param>
    /// <returns>The new map.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="clock"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="clock"/> returned a time not after the key's current write.</exception>
    /// <exception cref="OverflowException">The clock cannot move past the current time.</exception>
    public LWWMap<TKey, TValue> Put(ReplicaId replica, TKey key, TValue value, ILogicalClock clock, out LWWMap<TKey, TValue> delta)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }

        ReplicaId.ThrowIfDefault(replica, nameof(replica));
        ArgumentNullException.ThrowIfNull(clock);
        SortedTree<TKey, LWWWrite>.Location location = _entries.Locate(key);
        LWWTimestamp timestamp = NextTimestamp(location.Value, replica, clock);
        return Write(key, new LWWEntry<TValue>(timestamp, isDeleted: false, value), in location, out delta);
    }

    /// <summary>
    /// Applies a put with an explicit timestamp, as a merge would: the write takes effect only when it beats the
    /// key's current write. O(log n).
    /// </summary>
    /// <param name="timestamp">The write's timestamp; it must name this write only.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <returns>The new map; this instance when the write loses or is already present.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="timestamp"/> is the default timestamp, or it already
    /// names a put of a different value for this key.</exception>
    public LWWMap<TKey, TValue> Put(LWWTimestamp timestamp, TKey key, TValue value) => Put(timestamp, key, value, out _);

    /// <summary>Applies a put with an explicit timestamp and returns the delta.</summary>
    /// <param name="timestamp">The write's timestamp; it must name this write only.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="delta">A map holding just this write; the empty map when the write had no effect.</param>
    /// <returns>The new map; this instance when the write loses or is already present.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="timestamp"/> is the default timestamp, or it already
    /// names a put of a different value for this key.</exception>
    public LWWMap<TKey, TValue> Put(LWWTimestamp timestamp, TKey key, TValue value, out LWWMap<TKey, TValue> delta)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }

        ReplicaId.ThrowIfDefault(timestamp.Replica, nameof(timestamp));
        SortedTree<TKey, LWWWrite>.Location location = _entries.Locate(key);
        LWWWrite? current = location.Value;
        var write = new LWWEntry<TValue>(timestamp, isDeleted: false, value);
        if (current is not null && !current.IsDeleted && current.Timestamp == timestamp && !current.SameWrite(write))
        {
            throw new ArgumentException($"Timestamp {timestamp} already names a put of a different value for key '{key}'.", nameof(timestamp));
        }

        return Write(key, write, in location, out delta);
    }

    /// <summary>
    /// Deletes <paramref name="key"/> as <paramref name="replica"/>, at a time from <paramref name="clock"/> after the
    /// key's current write. A key with no live value is left alone (observed delete). O(log n).
    /// </summary>
    /// <param name="replica">The deleting replica.</param>
    /// <param name="key">The key.</param>
    /// <param name="clock">The replica's clock.</param>
    /// <returns>The new map; this instance when the key has no live value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="clock"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="clock"/> returned a time not after the key's current write.</exception>
    /// <exception cref="OverflowException">The clock cannot move past the current time.</exception>
    public LWWMap<TKey, TValue> Remove(ReplicaId replica, TKey key, ILogicalClock clock) => Remove(replica, key, clock, out _);

    /// <summary>Deletes <paramref name="key"/> with a time from <paramref name="clock"/>, and returns the delta.</summary>
    /// <param name="replica">The deleting replica.</param>
    /// <param name="key">The key.</param>
    /// <param name="clock">The replica's clock.</param>
    /// <param name="delta">A map holding just the tombstone; the empty map when the key had no live value.</param>
    /// <returns>The new map; this instance when the key has no live value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="clock"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="clock"/> returned a time not after the key's current write.</exception>
    /// <exception cref="OverflowException">The clock cannot move past the current time.</exception>
    public LWWMap<TKey, TValue> Remove(ReplicaId replica, TKey key, ILogicalClock clock, out LWWMap<TKey, TValue> delta)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }

        ReplicaId.ThrowIfDefault(replica, nameof(replica));
        ArgumentNullException.ThrowIfNull(clock);
        SortedTree<TKey, LWWWrite>.Location location = _entries.Locate(key);
        if (!location.Found || location.Value.IsDeleted)
        {
            delta = EmptyLike();
            return this;
        }

        LWWTimestamp timestamp = NextTimestamp(location.Value, replica, clock);
        return Write(key, new LWWEntry<TValue>(timestamp, isDeleted: true, default!), in location, out delta);
    }

    /// <summary>
    /// Applies a delete with an explicit timestamp, as a merge would: it takes effect when the key has a live value
    /// whose timestamp is not greater (a delete wins a tie with a put). O(log n).
    /// </summary>
    /// <param name="timestamp">The delete's timestamp.</param>
    /// <param name="key">The key.</param>
    /// <returns>The new map; this instance when the key has no live value or a later one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="timestamp"/> is the default timestamp.</exception>
    public LWWMap<TKey, TValue> Remove(LWWTimestamp timestamp, TKey key) => Remove(timestamp, key, out _);

    /// <summary>Applies a delete with an explicit timestamp and returns the delta.</summary>
    /// <param name="timestamp">The delete's timestamp.</param>
    /// <param name="key">The key.</param>
    /// <param name="delta">A map holding just the tombstone; the empty map when the delete had no effect.</param>
    /// <returns>The new map; this instance when the key has no live value or a later one.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="timestamp"/> is the default timestamp.</exception>
    public LWWMap<TKey, TValue> Remove(LWWTimestamp timestamp, TKey key, out LWWMap<TKey, TValue> delta)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }

        ReplicaId.ThrowIfDefault(timestamp.Replica, nameof(timestamp));
        SortedTree<TKey, LWWWrite>.Location location = _entries.Locate(key);
        if (!location.Found || location.Value.IsDeleted)
        {
            delta = EmptyLike();
            return this;
        }

        return Write(key, new LWWEntry<TValue>(timestamp, isDeleted: true, default!), in location, out delta);
    }

    /// <summary>
    /// Forgets tombstones whose time is below <paramref name="olderThanTime"/>, in O(n).
    /// </summary>
    /// <remarks>
    /// A tombstone is what stops an older put of its key from coming back in a merge. Prune only tombstones that
    /// every replica has already merged and that no replica can still send a write older than: for example, with
    /// hybrid logical clocks, times older than the oldest "last synced" time of all replicas. Pruning a tombstone
    /// some replica has not seen can resurrect the deleted value when that replica's state or an old delta
    /// arrives. A pruned state is not an upper bound of the state it came from; the join laws hold between states
    /// pruned alike.
    /// </remarks>
    /// <param name="olderThanTime">The time bound: tombstones with <see cref="LWWTimestamp.Time"/> below it go.</param>
    /// <returns>The pruned map; this instance when no tombstone is old enough.</returns>
    public LWWMap<TKey, TValue> PruneTombstones(long olderThanTime)
    {
        if (_count == _entries.Count)
        {
            return this;
        }

        var keys = new List<TKey>(_entries.Count);
        var values = new List<LWWWrite>(_entries.Count);
        foreach (KeyValuePair<TKey, LWWWrite> entry in _entries)
        {
            if (!entry.Value.IsDeleted || entry.Value.Timestamp.Time >= olderThanTime)
            {
                keys.Add(entry.Key);
                values.Add(entry.Value);
            }
        }

        return keys.Count == _entries.Count
            ? this
            : new LWWMap<TKey, TValue>(SortedTree<TKey, LWWWrite>.FromSorted(Comparer, keys.ToArray(), values.ToArray()), _count);
    }

    /// <summary>Returns the per-key last-writer-wins join of this state and <paramref name="other"/>.</summary>
    /// <param name="other">A state (full or delta) of the same map, with the same comparer.</param>
    /// <returns>The merged map; this instance when <paramref name="other"/> adds nothing, <paramref name="other"/>
    /// when the result equals it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The maps are ordered by different comparers.</exception>
    public LWWMap<TKey, TValue> Merge(LWWMap<TKey, TValue> other) => MergeUsing(other, MergeStrategy.Auto);

    /// <summary>Merges with a chosen strategy (tests compare them; every strategy gives the same result).</summary>
    internal LWWMap<TKey, TValue> MergeUsing(LWWMap<TKey, TValue> other, MergeStrategy strategy)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(this, other) || other._entries.Count == 0)
        {
            return this;
        }

        if (_entries.Count == 0)
        {
            return other;
        }

        if (!KeyOrder.SameOrder(Comparer, other.Comparer))
        {
            throw new ArgumentException("Cannot merge maps ordered by different comparers.", nameof(other));
        }

        SortedTree<TKey, LWWWrite> entries;
        int live;
        int factor = strategy switch { MergeStrategy.Join => int.MaxValue, MergeStrategy.PointUpdates => 0, _ => SmallMergeFactor };
        if ((long)other._entries.Count * factor < _entries.Count || (factor == 0 && other._entries.Count <= _entries.Count))
        {
            (entries, live) = MergeSmall(this, other, leftIsBig: true);
        }
        else if ((long)_entries.Count * factor < other._entries.Count || factor == 0)
        {
            (entries, live) = MergeSmall(other, this, leftIsBig: false);
        }
        else
        {
            entries = _entries.Join(other._entries, default(LWWMapJoiner), _count, other._count, out live);
        }

        if (ReferenceEquals(entries, _entries))
        {
            return this;
        }

        return ReferenceEquals(entries, other._entries) ? other : new LWWMap<TKey, TValue>(entries, live);
    }

    /// <summary>Returns a mutable builder starting from this map, for batches of operations.</summary>
    /// <returns>The builder.</returns>
    public Builder ToBuilder() => new(this);

    /// <summary>Returns an allocation-free enumerator over the live entries in key order.</summary>
    /// <returns>The enumerator.</returns>
    public Enumerator GetEnumerator() => new(_entries);

    /// <inheritdoc />
    IEnumerator<KeyValuePair<TKey, TValue>> IEnumerable<KeyValuePair<TKey, TValue>>.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Returns whether both states are equal, tombstones included. O(n).</summary>
    /// <param name="other">The map to compare with.</param>
    /// <returns>Whether the states are equal.</returns>
    public bool Equals([NotNullWhen(true)] LWWMap<TKey, TValue>? other) =>
        ReferenceEquals(this, other) ||
        (other is not null &&
         _count == other._count &&
         KeyOrder.SameOrder(Comparer, other.Comparer) &&
         _entries.SequenceEqual(other._entries, EqualityComparer<TKey>.Default, EntryEquality.Instance));

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as LWWMap<TKey, TValue>);

    /// <summary>Returns a hash code consistent with <see cref="Equals(LWWMap{TKey, TValue})"/>, in O(n).</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (KeyValuePair<TKey, LWWWrite> entry in _entries)
        {
            hash.Add(entry.Key);
            hash.Add(entry.Value.Timestamp);
            hash.Add(entry.Value.IsDeleted);
            hash.Add(LWWEntry<TValue>.Of(entry.Value).Value);
        }

        return hash.ToHashCode();
    }

    /// <summary>Returns the live entries as <c>{k=v, ...}</c> and the tombstone count.</summary>
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

        return text.Append('}').Append(CultureInfo.InvariantCulture, $" (+{TombstoneCount} tombstones)").ToString();
    }

    /// <summary>Returns every entry, tombstones included, in key order, for encoders.</summary>
    internal SortedTree<TKey, LWWWrite>.Enumerator GetEntryEnumerator() => _entries.GetEnumerator();

    /// <summary>Gets the entry tree, for encoders that walk it leaf by leaf.</summary>
    internal SortedTree<TKey, LWWWrite> EntryTree => _entries;

    /// <summary>
    /// Creates a map from decoded parts after checking its invariants: keys strictly increasing under
    /// <paramref name="comparer"/>, valid timestamps.
    /// </summary>
    /// <exception cref="ArgumentException">An invariant does not hold.</exception>
    internal static LWWMap<TKey, TValue> FromParts(IComparer<TKey> comparer, TKey[] keys, LWWEntry<TValue>[] entries)
    {
        ArgumentNullException.ThrowIfNull(comparer);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(entries);
        if (keys.Length != entries.Length)
        {
            throw new ArgumentException("Every key needs its write.", nameof(entries));
        }

        if (!SortedTree<TKey, LWWWrite>.IsStrictlyIncreasing(comparer, keys))
        {
            throw new ArgumentException("Keys must be strictly increasing in the map's order.", nameof(keys));
        }

        int live = 0;
        for (int i = 0; i < keys.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(keys[i], nameof(keys));
            LWWEntry<TValue> entry = entries[i] ?? throw new ArgumentException("A write must not be null.", nameof(entries));
            if (entry.Timestamp.Replica.IsDefault)
            {
                throw new ArgumentException("A write needs a valid timestamp.", nameof(entries));
            }

            live += entry.IsDeleted ? 0 : 1;
        }

        return new LWWMap<TKey, TValue>(SortedTree<TKey, LWWWrite>.FromSorted(comparer, keys, entries), live);
    }

    /// <summary>Views a stored write of <paramref name="key"/> as its public entry.</summary>
    private static LWWMapEntry<TKey, TValue> ToEntry(TKey key, LWWWrite write) => write.IsDeleted
        ? LWWMapEntry<TKey, TValue>.Tombstone(write.Timestamp, key)
        : new LWWMapEntry<TKey, TValue>(write.Timestamp, key, LWWEntry<TValue>.Of(write).Value);

    /// <summary>Creates a map over a tree an operation produced, counting its live entries.</summary>
    internal static LWWMap<TKey, TValue> FromTrusted(SortedTree<TKey, LWWWrite> entries, int liveCount) => new(entries, liveCount);

    /// <summary>
    /// Joins <paramref name="small"/> into <paramref name="big"/> by point updates, O(m log n). The per-key rule is the
    /// join's, applied with the original left/right roles so ties resolve exactly as in a merge-join.
    /// </summary>
    private static (SortedTree<TKey, LWWWrite> Entries, int Live) MergeSmall(LWWMap<TKey, TValue> big, LWWMap<TKey, TValue> small, bool leftIsBig)
    {
        var joiner = default(LWWMapJoiner);
        SortedTree<TKey, LWWWrite> entries = big._entries;
        int live = big._count;
        foreach (KeyValuePair<TKey, LWWWrite> entry in small._entries)
        {
            LWWWrite winner;
            if (big._entries.TryGetValue(entry.Key, out LWWWrite? current))
            {
                JoinOutcome outcome = leftIsBig ? joiner.Both(current, entry.Value, out winner) : joiner.Both(entry.Value, current, out winner);
                if (ReferenceEquals(winner, current) || outcome == JoinOutcome.Same)
                {
                    continue;
                }

                live -= current.IsDeleted ? 0 : 1;
            }
            else
            {
                winner = entry.Value;
            }

            live += winner.IsDeleted ? 0 : 1;
            entries = entries.SetItem(entry.Key, winner);
        }

        return (entries, live);
    }

    private static LWWTimestamp NextTimestamp(LWWWrite? current, ReplicaId replica, ILogicalClock clock)
    {
        long after = current?.Timestamp.Time ?? 0;
        long time = clock.Next(after);
        if (time <= after)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"The clock returned {time}, which is not after {after}; an ILogicalClock must return a later time."));
        }

        return new LWWTimestamp(time, replica);
    }

    /// <summary>Applies a write at its located key when it beats the entry there (or returns this when it does not).</summary>
    private LWWMap<TKey, TValue> Write(TKey key, LWWEntry<TValue> write, in SortedTree<TKey, LWWWrite>.Location location, out LWWMap<TKey, TValue> delta)
    {
        LWWWrite? current = location.Value;
        if (current is not null && (current.CompareTo(write) > 0 || current.SameWrite(write)))
        {
            delta = EmptyLike();
            return this;
        }

        int count = _count + (write.IsDeleted ? 0 : 1) - (current is null || current.IsDeleted ? 0 : 1);
        delta = new LWWMap<TKey, TValue>(SortedTree<TKey, LWWWrite>.Single(Comparer, key, write), write.IsDeleted ? 0 : 1);
        return new LWWMap<TKey, TValue>(_entries.SetAt(in location, key, write), count);
    }

    private LWWMap<TKey, TValue> EmptyLike() =>
        DefaultEmpty is not null && ReferenceEquals(Comparer, DefaultEmpty.Comparer) ? DefaultEmpty : new LWWMap<TKey, TValue>(SortedTree<TKey, LWWWrite>.Empty(Comparer), 0);

    /// <summary>Write equality for structural comparison.</summary>
    private sealed class EntryEquality : IEqualityComparer<LWWWrite>
    {
        public static readonly EntryEquality Instance = new();

        public bool Equals(LWWWrite? x, LWWWrite? y) => x is not null && y is not null && x.SameWrite(y);

        public int GetHashCode(LWWWrite obj) => obj.Timestamp.GetHashCode();
    }
}
