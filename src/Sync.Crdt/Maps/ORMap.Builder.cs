using System;
using System.Collections;
using System.Collections.Generic;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Maps;

/// <content>The batch builder.</content>
public sealed partial class ORMap<TKey, TValue>
{
    /// <summary>Returns a mutable builder starting from this map, for batches of operations.</summary>
    /// <returns>The builder.</returns>
#pragma warning disable RS0041 // See GetEnumerator: the analyzer cannot annotate a nested type of this generic type; nothing here is nullable.
    public Builder ToBuilder() => new(this);
#pragma warning restore RS0041

    /// <summary>
    /// A mutable batch of operations on an <see cref="ORMap{TKey, TValue}"/>: apply many updates and removes, then take the
    /// result with <see cref="ToImmutable"/> and the combined delta of the batch with <see cref="ToDelta"/>.
    /// </summary>
    /// <remarks>
    /// Each operation costs the same as on the immutable map (O(log n + r) plus the nested mutator). The builder never
    /// changes the map it started from. Not thread-safe: use one builder from one thread at a time.
    /// </remarks>
    [Mutable]
    public sealed class Builder : IReadOnlyCollection<KeyValuePair<TKey, TValue>>
    {
        private ORMap<TKey, TValue> _current;
        private readonly DeltaGroupAccumulator<ORMap<TKey, TValue>> _deltas;

        internal Builder(ORMap<TKey, TValue> start)
        {
            _current = start;
            _deltas = new(start.EmptyLike());
        }

        /// <summary>Gets the number of keys now in the builder.</summary>
        public int Count => _current.Count;

        /// <summary>Gets the current value of <paramref name="key"/>.</summary>
        /// <param name="key">The key.</param>
        /// <param name="value">The key's value when present.</param>
        /// <returns>Whether the key is present.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
        public bool TryGetValue(TKey key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out TValue value) => _current.TryGetValue(key, out value);

        /// <summary>Updates the value of <paramref name="key"/> (see <see cref="ORMap{TKey, TValue}.Update(ReplicaId, TKey, DeltaMutator{TValue})"/>).</summary>
        /// <param name="replica">The acting replica.</param>
        /// <param name="key">The key.</param>
        /// <param name="mutator">The nested update; it receives the nested replica id <c>replica#n</c>.</param>
        /// <returns>Whether the map changed (the mutator changed the value).</returns>
        /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id or too long for the nested id.</exception>
        /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="mutator"/> is <see langword="null"/>.</exception>
        /// <exception cref="InvalidOperationException">The mutator returned <see langword="null"/>, or <typeparamref name="TValue"/> has no default empty value.</exception>
        public bool Update(ReplicaId replica, TKey key, DeltaMutator<TValue> mutator) =>
            Apply(_current.Update(replica, key, mutator, out ORMap<TKey, TValue> delta), delta);

        /// <summary>Removes <paramref name="key"/> (see <see cref="ORMap{TKey, TValue}.Remove(TKey)"/>).</summary>
        /// <param name="key">The key.</param>
        /// <returns>Whether the map changed (the key was present).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
        public bool Remove(TKey key) => Apply(_current.Remove(key, out ORMap<TKey, TValue> delta), delta);

        /// <summary>Removes every key (see <see cref="ORMap{TKey, TValue}.Clear()"/>).</summary>
        /// <returns>Whether the map changed (it had keys).</returns>
        public bool Clear() => Apply(_current.Clear(out ORMap<TKey, TValue> delta), delta);

        /// <summary>Merges another state into the builder (it does not become part of <see cref="ToDelta"/>).</summary>
        /// <param name="other">The state to merge in.</param>
        /// <returns>Whether the map changed.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
        /// <exception cref="ArgumentException">The maps are ordered by different comparers.</exception>
        public bool Merge(ORMap<TKey, TValue> other)
        {
            ORMap<TKey, TValue> next = _current.Merge(other);
            if (ReferenceEquals(next, _current))
            {
                return false;
            }

            _current = next;
            return true;
        }

        /// <summary>Returns the map as it now stands; the same instance as the start when nothing changed.</summary>
        /// <returns>The immutable map.</returns>
        public ORMap<TKey, TValue> ToImmutable() => _current;

        /// <summary>Returns the join of the deltas of every update, remove and clear made through this builder (a balanced pairwise join, O(n log n) for n operations, on first call).</summary>
        /// <returns>The delta group of the batch.</returns>
        public ORMap<TKey, TValue> ToDelta() => _deltas.ToGroup();

        /// <summary>Returns an allocation-free enumerator over the current keys and values.</summary>
        /// <returns>The enumerator.</returns>
#pragma warning disable RS0041 // See ORMap.GetEnumerator: the analyzer cannot annotate this nested struct; nothing here is nullable.
        public Enumerator GetEnumerator() => _current.GetEnumerator();
#pragma warning restore RS0041

        /// <inheritdoc />
        IEnumerator<KeyValuePair<TKey, TValue>> IEnumerable<KeyValuePair<TKey, TValue>>.GetEnumerator() => GetEnumerator();

        /// <inheritdoc />
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private bool Apply(ORMap<TKey, TValue> next, ORMap<TKey, TValue> delta)
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
