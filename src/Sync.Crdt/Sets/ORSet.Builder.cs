using System;
using System.Collections;
using System.Collections.Generic;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Sets;

/// <content>The batch builder.</content>
public sealed partial class ORSet<T>
{
    /// <summary>
    /// A mutable batch of operations on an <see cref="ORSet{T}"/>, in the manner of
    /// <c>ImmutableSortedSet&lt;T&gt;.Builder</c>: apply many operations, then take the result with
    /// <see cref="ToImmutable"/> and the combined delta of the batch with <see cref="ToDelta"/>.
    /// </summary>
    /// <remarks>
    /// <para>Adds of new elements in ascending order, each above every element already in the builder (a bulk load
    /// from sorted input, by any number of replicas), are appended to a run in O(1) amortized and built bottom-up
    /// into the set's trees in O(run) when the builder is next read or written otherwise (one tree node per leaf of
    /// entries instead of a path copy and an index edit per add). Any other operation costs the same as on the
    /// immutable set (O(log n) time and allocation). The builder never changes the set it started from. Not
    /// thread-safe: use one builder from one thread at a time.</para>
    /// </remarks>
    [Mutable]
    public sealed class Builder : IReadOnlyCollection<T>
    {
        private ORSet<T> _current;
        private readonly DeltaGroupAccumulator<ORSet<T>> _deltas;

        // The ascending run of adds of new elements not yet in _current (see the remarks).
        private readonly ORSetAddRun<T> _run = new();

        internal Builder(ORSet<T> start)
        {
            _current = start;
            _deltas = new(start.EmptyLike());
        }

        /// <summary>Gets the number of elements now in the builder.</summary>
        public int Count => Flushed().Count;

        /// <summary>Returns whether <paramref name="item"/> is now present.</summary>
        /// <param name="item">The element.</param>
        /// <returns>Whether it is present.</returns>
        /// <exception cref="ArgumentNullException"><paramref name="item"/> is <see langword="null"/>.</exception>
        public bool Contains(T item) => Flushed().Contains(item);

        /// <summary>Adds <paramref name="item"/> as an add event of <paramref name="replica"/> (see <see cref="ORSet{T}.Add(ReplicaId, T)"/>).</summary>
        /// <param name="replica">The acting replica.</param>
        /// <param name="item">The element.</param>
        /// <returns>Whether the set changed: always <see langword="true"/>, since every add records a new event.</returns>
        /// <exception cref="ArgumentException"><paramref name="replica"/> is the default id.</exception>
        /// <exception cref="ArgumentNullException"><paramref name="item"/> is <see langword="null"/>.</exception>
        public bool Add(ReplicaId replica, T item)
        {
            if (item is not null && !replica.IsDefault && CanAppend(item))
            {
                _run.Append(replica, item, _current._context);
                return true;
            }

            _current = Flushed().Add(replica, item!, out ORSet<T> delta);
            _deltas.Add(delta);
            return true;
        }

        /// <summary>Removes <paramref name="item"/> (see <see cref="ORSet{T}.Remove(T)"/>).</summary>
        /// <param name="item">The element.</param>
        /// <returns>Whether the set changed (the element was present).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="item"/> is <see langword="null"/>.</exception>
        public bool Remove(T item)
        {
            ORSet<T> next = Flushed().Remove(item, out ORSet<T> delta);
            if (ReferenceEquals(next, _current))
            {
                return false;
            }

            _current = next;
            _deltas.Add(delta);
            return true;
        }

        /// <summary>Removes every element (see <see cref="ORSet{T}.Clear()"/>).</summary>
        /// <returns>Whether the set changed (it had elements).</returns>
        public bool Clear()
        {
            ORSet<T> next = Flushed().Clear(out ORSet<T> delta);
            if (ReferenceEquals(next, _current))
            {
                return false;
            }

            _current = next;
            _deltas.Add(delta);
            return true;
        }

        /// <summary>Merges another state into the builder (it does not become part of <see cref="ToDelta"/>).</summary>
        /// <param name="other">The state to merge in.</param>
        /// <returns>Whether the set changed (<paramref name="other"/> added something).</returns>
        /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
        /// <exception cref="ArgumentException">The sets are ordered by different comparers.</exception>
        public bool Merge(ORSet<T> other)
        {
            ORSet<T> next = Flushed().Merge(other);
            if (ReferenceEquals(next, _current))
            {
                return false;
            }

            _current = next;
            return true;
        }

        /// <summary>Returns the set as it now stands; the same instance as the start when nothing changed.</summary>
        /// <returns>The immutable set.</returns>
        public ORSet<T> ToImmutable() => Flushed();

        /// <summary>Returns the join of the deltas of every add, remove and clear made through this builder, formed on first call by a balanced pairwise join (O(n log n) for n operations).</summary>
        /// <returns>The delta group of the batch.</returns>
        public ORSet<T> ToDelta()
        {
            Flush();
            return _deltas.ToGroup();
        }

        /// <summary>Returns an allocation-free enumerator over the current elements.</summary>
        /// <returns>The enumerator.</returns>
        public Enumerator GetEnumerator() => Flushed().GetEnumerator();

        /// <inheritdoc />
        IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

        /// <inheritdoc />
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>Returns whether <paramref name="item"/> is above every element in the builder (its add can join the run).</summary>
        private bool CanAppend(T item)
        {
            IComparer<T> comparer = _current.Comparer;
            if (_run.Count > 0)
            {
                return Collections.SortedTree<T, Dot[]>.CompareKeys(comparer, _run.Last, item) < 0;
            }

            return !_current._entries.TryGetLastKey(out T last) || Collections.SortedTree<T, Dot[]>.CompareKeys(comparer, last, item) < 0;
        }

        /// <summary>Builds the run bottom-up and joins it (all of its elements are above the current ones) into the set and the delta.</summary>
        private void Flush()
        {
            if (_run.Count == 0)
            {
                return;
            }

            ORSet<T> run = _run.Build(_current.Comparer, _current._context, out CausalContext combined);
            _current = _current._entries.Count == 0 ? new ORSet<T>(run._entries, run._index, combined) : _current.Merge(run);
            _deltas.Add(run);
        }

        private ORSet<T> Flushed()
        {
            Flush();
            return _current;
        }
    }
}
