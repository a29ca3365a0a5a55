using System.Collections;
using System.Collections.Generic;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Sets;

/// <content>The element enumerator.</content>
public sealed partial class ORSet<T>
{
    /// <summary>An allocation-free enumerator over a set's elements in the set's order.</summary>
    [Mutable]
    public struct Enumerator : IEnumerator<T>
    {
        private SortedTree<T, Dot[]>.Enumerator _inner;

        internal Enumerator(SortedTree<T, Dot[]> entries) => _inner = entries.GetEnumerator();

        /// <summary>Gets the current element.</summary>
        public readonly T Current => _inner.CurrentKey;

        /// <inheritdoc />
        readonly object IEnumerator.Current => Current;

        /// <summary>Advances to the next element.</summary>
        /// <returns><see langword="false"/> past the last element.</returns>
        public bool MoveNext() => _inner.MoveNext();

        /// <summary>Restarts the enumeration.</summary>
        public void Reset() => _inner.Reset();

        /// <summary>Does nothing: the enumerator holds no resources.</summary>
        public readonly void Dispose()
        {
        }
    }
}
