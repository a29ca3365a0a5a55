using System.Collections;
using System.Collections.Generic;
using Sync.Crdt.Annotations;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Maps;

/// <content>The live-entry enumerator.</content>
public sealed partial class LWWMap<TKey, TValue>
{
    /// <summary>An allocation-free enumerator over a map's live entries in key order (tombstones are skipped).</summary>
    [Mutable]
    public struct Enumerator : IEnumerator<KeyValuePair<TKey, TValue>>
    {
        private SortedTree<TKey, LwwWrite>.Enumerator _inner;

        internal Enumerator(SortedTree<TKey, LwwWrite> entries) => _inner = entries.GetEnumerator();

        /// <summary>Gets the current entry.</summary>
        public readonly KeyValuePair<TKey, TValue> Current => new(_inner.CurrentKey, LwwEntry<TValue>.Of(_inner.CurrentValue).Value);

        /// <inheritdoc />
        readonly object IEnumerator.Current => Current;

        /// <summary>Advances to the next live entry.</summary>
        /// <returns><see langword="false"/> past the last entry.</returns>
        public bool MoveNext()
        {
            while (_inner.MoveNext())
            {
                if (!_inner.CurrentValue.IsDeleted)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Restarts the enumeration.</summary>
        public void Reset() => _inner.Reset();

        /// <summary>Does nothing: the enumerator holds no resources.</summary>
        public readonly void Dispose()
        {
        }
    }
}
