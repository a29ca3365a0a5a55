using System.Collections;
using System.Collections.Generic;
using Sync.Crdt.Annotations;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Maps;

/// <content>The live-entry enumerator and the all-entries enumerator.</content>
public sealed partial class LWWMap<TKey, TValue>
{
    /// <summary>An allocation-free enumerator over a map's live entries in key order (tombstones are skipped).</summary>
    [Mutable]
    public struct Enumerator : IEnumerator<KeyValuePair<TKey, TValue>>
    {
        private SortedTree<TKey, LWWWrite>.Enumerator _inner;

        internal Enumerator(SortedTree<TKey, LWWWrite> entries) => _inner = entries.GetEnumerator();

        /// <summary>Gets the current entry.</summary>
        public readonly KeyValuePair<TKey, TValue> Current => new(_inner.CurrentKey, LWWEntry<TValue>.Of(_inner.CurrentValue).Value);

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

    /// <summary>
    /// An allocation-free enumerator over the winning write of every key of a map, tombstones included, in key
    /// order; returned by <see cref="EnumerateEntries"/> and usable directly in <see langword="foreach"/>.
    /// </summary>
    [Mutable]
    public struct EntryEnumerator : IEnumerator<LWWMapEntry<TKey, TValue>>
    {
        private SortedTree<TKey, LWWWrite>.Enumerator _inner;

        internal EntryEnumerator(SortedTree<TKey, LWWWrite> entries) => _inner = entries.GetEnumerator();

        /// <summary>Gets the current entry.</summary>
        public readonly LWWMapEntry<TKey, TValue> Current => ToEntry(_inner.CurrentKey, _inner.CurrentValue);

        /// <inheritdoc />
        readonly object IEnumerator.Current => Current;

        /// <summary>Returns this enumerator, so that <see cref="EnumerateEntries"/> can be used in <see langword="foreach"/>.</summary>
        /// <returns>This enumerator.</returns>
        public readonly EntryEnumerator GetEnumerator() => this;

        /// <summary>Advances to the next entry.</summary>
        /// <returns><see langword="false"/> past the last entry.</returns>
        public bool MoveNext() => _inner.MoveNext();

        /// <summary>Restarts the enumeration.</summary>
        public void Reset() => _inner.Reset();

        /// <summary>Does nothing: the enumerator holds no resources.</summary>
        public readonly void Dispose()
        {
        }
    }
}
