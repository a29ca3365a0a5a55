using System.Collections;
using System.Collections.Generic;
using Sync.Crdt.Annotations;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Maps;

/// <content>The enumerator.</content>
public sealed partial class ORMap<TKey, TValue>
{
    /// <summary>An allocation-free enumerator over a map's keys and their visible values, in key order.</summary>
    [Mutable]
    public struct Enumerator : IEnumerator<KeyValuePair<TKey, TValue>>
    {
        private SortedTree<TKey, ORMapSlot>.Enumerator _inner;

        internal Enumerator(SortedTree<TKey, ORMapSlot> entries) => _inner = entries.GetEnumerator();

        /// <summary>Gets the current key and value.</summary>
        public readonly KeyValuePair<TKey, TValue> Current => new(_inner.CurrentKey, ((ORMapSlot<TValue>)_inner.CurrentValue).Value);

        /// <inheritdoc />
        readonly object IEnumerator.Current => Current;

        /// <summary>Advances to the next key.</summary>
        /// <returns><see langword="false"/> past the last key.</returns>
        public bool MoveNext() => _inner.MoveNext();

        /// <summary>Restarts the enumeration.</summary>
        public void Reset() => _inner.Reset();

        /// <summary>Does nothing: the enumerator holds no resources.</summary>
        public readonly void Dispose()
        {
        }
    }
}
