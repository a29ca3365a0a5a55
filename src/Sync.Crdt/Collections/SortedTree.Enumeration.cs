using System;
using System.Collections;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Sync.Crdt.Collections;

/// <content>Allocation-free in-order traversal.</content>
internal sealed partial class SortedTree<TKey, TValue>
{
    /// <summary>A walk over the leaves in key order, keeping the path from the root on an inline stack.</summary>
    internal struct LeafCursor
    {
        private BranchStack _branches;
        private IndexStack _indexes;
        private int _depth;

        public LeafCursor(Node? root)
        {
            _depth = 0;
            Leaf = null;
            if (root is not null)
            {
                DescendLeftmost(root);
            }
        }

        /// <summary>Positions the cursor on the leaf where <paramref name="key"/> is or would be.</summary>
        /// <param name="root">The root (not null).</param>
        /// <param name="key">The key to seek.</param>
        /// <param name="comparer">The tree's order.</param>
        /// <param name="index">The index in that leaf of the first key not below <paramref name="key"/> (may equal the leaf's count).</param>
        public LeafCursor(Node root, TKey key, IComparer<TKey> comparer, out int index)
        {
            _depth = 0;
            Node node = root;
            while (node is Branch branch)
            {
                if (_depth == MaxHeight)
                {
                    throw new InvalidOperationException("The tree is deeper than its invariants allow.");
                }

                int child = ChildIndex(branch.Lows, key, comparer);
                _branches[_depth] = branch;
                _indexes[_depth] = child;
                _depth++;
                node = branch.Children[child];
            }

            Leaf = (Leaf)node;
            index = LeafIndex(Leaf.Keys, key, comparer);
            if (index < 0)
            {
                index = ~index;
            }
        }

        /// <summary>Gets the current leaf, or <see langword="null"/> past the end.</summary>
        public Leaf? Leaf { get; private set; }

        /// <summary>Gets the number of branches on the path from the root to <see cref="Leaf"/>.</summary>
        public readonly int Depth => _depth;

        /// <summary>Returns the branch at <paramref name="level"/> (0 = the root) on the path to <see cref="Leaf"/>.</summary>
        public readonly Branch BranchAt(int level) => _branches[level]!;

        /// <summary>Returns which child of <see cref="BranchAt"/> the path takes at <paramref name="level"/>.</summary>
        public readonly int ChildAt(int level) => _indexes[level];

        /// <summary>Moves to the next leaf.</summary>
        /// <returns><see langword="false"/> past the last leaf.</returns>
        public bool MoveNextLeaf()
        {
            while (_depth > 0)
            {
                Branch branch = _branches[_depth - 1]!;
                int next = _indexes[_depth - 1] + 1;
                if (next < branch.Children.Length)
                {
                    _indexes[_depth - 1] = next;
                    DescendLeftmost(branch.Children[next]);
                    return true;
                }

                _branches[_depth - 1] = null;
                _depth--;
            }

            Leaf = null;
            return false;
        }

        private void DescendLeftmost(Node node)
        {
            while (node is Branch branch)
            {
                if (_depth == MaxHeight)
                {
                    throw new InvalidOperationException("The tree is deeper than its invariants allow.");
                }

                _branches[_depth] = branch;
                _indexes[_depth] = 0;
                _depth++;
                node = branch.Children[0];
            }

            Leaf = (Leaf)node;
        }
    }

    /// <summary>An allocation-free in-order enumerator over a tree's entries.</summary>
    internal struct Enumerator : IEnumerator<KeyValuePair<TKey, TValue>>
    {
        private readonly Node? _root;
        private LeafCursor _cursor;
        private int _index;

        internal Enumerator(SortedTree<TKey, TValue> tree)
        {
            _root = tree.Root;
            _cursor = new LeafCursor(_root);
            _index = -1;
        }

        internal Enumerator(SortedTree<TKey, TValue> tree, TKey from)
        {
            _root = tree.Root;
            if (_root is null)
            {
                _cursor = new LeafCursor(null);
                _index = -1;
                return;
            }

            _cursor = new LeafCursor(_root, from, tree.Comparer, out int index);
            _index = index - 1;
        }

        /// <summary>Gets the current key.</summary>
        public readonly TKey CurrentKey => _cursor.Leaf!.Keys[_index];

        /// <summary>Gets the current value.</summary>
        public readonly TValue CurrentValue => _cursor.Leaf!.Values[_index];

        /// <summary>Gets the current entry.</summary>
        public readonly KeyValuePair<TKey, TValue> Current => new(CurrentKey, CurrentValue);

        /// <inheritdoc />
        readonly object IEnumerator.Current => Current;

        /// <summary>Advances to the next entry.</summary>
        public bool MoveNext()
        {
            Leaf? leaf = _cursor.Leaf;
            if (leaf is null)
            {
                return false;
            }

            if (++_index < leaf.Keys.Length)
            {
                return true;
            }

            _index = 0;
            return _cursor.MoveNextLeaf();
        }

        /// <summary>Restarts the enumeration.</summary>
        public void Reset()
        {
            _cursor = new LeafCursor(_root);
            _index = -1;
        }

        /// <summary>Does nothing.</summary>
        public readonly void Dispose()
        {
        }
    }

    /// <summary>Inline storage for the branches on a cursor's path.</summary>
    [InlineArray(MaxHeight)]
    internal struct BranchStack
    {
        private Branch? _element;
    }

    /// <summary>Inline storage for the child indexes on a cursor's path.</summary>
    [InlineArray(MaxHeight)]
    internal struct IndexStack
    {
        private int _element;
    }
}
