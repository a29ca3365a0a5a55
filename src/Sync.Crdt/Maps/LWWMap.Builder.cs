using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Maps;

/// <content>The batch builder.</content>
public sealed partial class LWWMap<TKey, TValue>
{
    /// <summary>
    /// A mutable batch of writes to an <see cref="LWWMap{TKey, TValue}"/>, in the manner of
    /// <c>ImmutableSortedDictionary&lt;TKey, TValue&gt;.Builder</c>: apply many writes, then take the result with
    /// <see cref="ToImmutable"/> and the combined delta of the batch with <see cref="ToDelta"/>.
    /// </summary>
    /// <remarks>
    /// <para>Puts of keys in ascending order, each above every key already in the builder (a bulk load from sorted
    /// input), are appended to a run in O(1) amortized and built bottom-up into the tree in O(run) when the builder
    /// is next read or written otherwise (one tree node per 48 entries instead of a path copy per write). Any other
    /// write costs the same as on the immutable map (O(log n) time and allocation). The builder never changes the map
    /// it started from. Not thread-safe: use one builder from one thread at a time.</para>
    /// </remarks>
    [Mutable]
    public sealed class Builder : IReadOnlyCollection<KeyValuePair<TKey, TValue>>
    {
        private LWWMap<TKey, TValue> _current;
        private readonly DeltaGroupAccumulator<LWWMap<TKey, TValue>> _deltas;

        // The ascending run of new keys not yet in _current (see the remarks).
        private TKey[] _runKeys = [];
        private LWWWrite[] _runWrites = [];
        private int _run;

        internal Builder(LWWMap<TKey, TValue> start)
        {
            _current = start;
            _deltas = new(start.EmptyLike());
        }

        /// <summary>Gets the number of live keys now in the builder.</summary>
        public int Count => Flushed().Count;

        /// <summary>Gets the live value of <paramref name="key"/>.</summary>
        /// <param name="key">The key.</param>
        /// <param name="value">The value when the key is live.</param>
        /// <returns>Whether the key is live.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
        public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value) => Flushed().TryGetValue(key, out value);

        /// <summary>Writes a value with a time from <paramref name="clock"/> (see <see cref="LWWMap{TKey, TValue}.Put(ReplicaId, TKey, TValue, ILogicalClock)"/>).</summary>
        /// <param name="replica">The writing replica.</param>
        /// <param name="key">The key.</param>
        /// <param name="value">The value.</param>
        /// <param name="clock">The replica's clock.</param>
        /// <returns>Whether the map changed: always <see langword="true"/>, since a clocked write wins over the key's current write.</returns>
        public bool Put(ReplicaId replica, TKey key, TValue value, ILogicalClock clock)
        {
            if (key is not null && !replica.IsDefault && clock is not null && CanAppend(key))
            {
                // A new key: the write takes effect, as on the map (the clock's time must be after 0).
                Append(key, new LWWEntry<TValue>(NextTimestamp(null, replica, clock), isDeleted: false, value));
                return true;
            }

            return Apply(Flushed().Put(replica, key!, value, clock!, out LWWMap<TKey, TValue> delta), delta);
        }

        /// <summary>Applies a put with an explicit timestamp (see <see cref="LWWMap{TKey, TValue}.Put(LWWTimestamp, TKey, TValue)"/>).</summary>
        /// <param name="timestamp">The write's timestamp.</param>
        /// <param name="key">The key.</param>
        /// <param name="value">The value.</param>
        /// <returns>Whether the map changed (the write took effect).</returns>
        public bool Put(LWWTimestamp timestamp, TKey key, TValue value)
        {
            if (key is not null && !timestamp.Replica.IsDefault && CanAppend(key))
            {
                Append(key, new LWWEntry<TValue>(timestamp, isDeleted: false, value));
                return true;
            }

            return Apply(Flushed().Put(timestamp, key!, value, out LWWMap<TKey, TValue> delta), delta);
        }

        /// <summary>Deletes a key with a time from <paramref name="clock"/> (see <see cref="LWWMap{TKey, TValue}.Remove(ReplicaId, TKey, ILogicalClock)"/>).</summary>
        /// <param name="replica">The deleting replica.</param>
        /// <param name="key">The key.</param>
        /// <param name="clock">The replica's clock.</param>
        /// <returns>Whether the map changed (the key had a live value).</returns>
        public bool Remove(ReplicaId replica, TKey key, ILogicalClock clock) =>
            Apply(Flushed().Remove(replica, key, clock, out LWWMap<TKey, TValue> delta), delta);

        /// <summary>Applies a delete with an explicit timestamp (see <see cref="LWWMap{TKey, TValue}.Remove(LWWTimestamp, TKey)"/>).</summary>
        /// <param name="timestamp">The delete's timestamp.</param>
        /// <param name="key">The key.</param>
        /// <returns>Whether the map changed (the delete took effect).</returns>
        public bool Remove(LWWTimestamp timestamp, TKey key) =>
            Apply(Flushed().Remove(timestamp, key, out LWWMap<TKey, TValue> delta), delta);

        /// <summary>Merges another state into the builder (it does not become part of <see cref="ToDelta"/>).</summary>
        /// <param name="other">The state to merge in.</param>
        /// <returns>Whether the map changed (<paramref name="other"/> added something).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
        /// <exception cref="ArgumentException">The maps are ordered by different comparers.</exception>
        public bool Merge(LWWMap<TKey, TValue> other)
        {
            LWWMap<TKey, TValue> next = Flushed().Merge(other);
            if (ReferenceEquals(next, _current))
            {
                return false;
            }

            _current = next;
            return true;
        }

        /// <summary>Returns the map as it now stands; the same instance as the start when nothing changed.</summary>
        /// <returns>The immutable map.</returns>
        public LWWMap<TKey, TValue> ToImmutable() => Flushed();

        /// <summary>Returns the join of the deltas of every write made through this builder, formed on first call by a balanced pairwise join (O(n log n) for n writes).</summary>
        /// <returns>The delta group of the batch.</returns>
        public LWWMap<TKey, TValue> ToDelta()
        {
            Flush();
            return _deltas.ToGroup();
        }

        /// <summary>Returns an allocation-free enumerator over the current live entries.</summary>
        /// <returns>The enumerator.</returns>
        public Enumerator GetEnumerator() => Flushed().GetEnumerator();

        /// <inheritdoc />
        IEnumerator<KeyValuePair<TKey, TValue>> IEnumerable<KeyValuePair<TKey, TValue>>.GetEnumerator() => GetEnumerator();

        /// <inheritdoc />
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>Returns whether <paramref name="key"/> is above every key in the builder (it can join the run).</summary>
        private bool CanAppend(TKey key)
        {
            IComparer<TKey> comparer = _current.Comparer;
            if (_run > 0)
            {
                return Collections.SortedTree<TKey, LWWWrite>.CompareKeys(comparer, _runKeys[_run - 1], key) < 0;
            }

            return !_current._entries.TryGetLastKey(out TKey last) || Collections.SortedTree<TKey, LWWWrite>.CompareKeys(comparer, last, key) < 0;
        }

        private void Append(TKey key, LWWEntry<TValue> write)
        {
            if (_run == _runKeys.Length)
            {
                int size = Math.Max(64, _run * 2);
                Array.Resize(ref _runKeys, size);
                Array.Resize(ref _runWrites, size);
            }

            _runKeys[_run] = key;
            _runWrites[_run] = write;
            _run++;
        }

        /// <summary>Builds the run bottom-up and joins it (all of its keys are above the current ones) into the map and the delta.</summary>
        private void Flush()
        {
            if (_run == 0)
            {
                return;
            }

            var run = new LWWMap<TKey, TValue>(Collections.SortedTree<TKey, LWWWrite>.FromSorted(_current.Comparer, _runKeys.AsSpan(0, _run), _runWrites.AsSpan(0, _run)), _run);
            _current = _current._entries.Count == 0 ? run : _current.Merge(run);
            _deltas.Add(run);
            _run = 0;
            _runKeys = [];
            _runWrites = [];
        }

        private LWWMap<TKey, TValue> Flushed()
        {
            Flush();
            return _current;
        }

        private bool Apply(LWWMap<TKey, TValue> next, LWWMap<TKey, TValue> delta)
        {
            if (ReferenceEquals(next, _current))
            {
                return false;
            }

            _current = next;
            _deltas.Add(delta);
            return true;
        }
    }
}
