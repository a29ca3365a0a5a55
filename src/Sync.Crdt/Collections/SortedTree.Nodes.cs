using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sync.Crdt.Collections;

/// <content>The immutable nodes of the tree.</content>
internal sealed partial class SortedTree<TKey, TValue>
{
    /// <summary>A node: a <see cref="Leaf"/> of entries or a <see cref="Branch"/> of child nodes. Never mutated once published.</summary>
    internal abstract class Node
    {
        /// <summary>Gets the number of entries under the node.</summary>
        public abstract int Count { get; }

        /// <summary>Gets the smallest key under the node.</summary>
        public abstract TKey FirstKey { get; }
    }

    /// <summary>A leaf: sorted keys and their values in two exactly sized, non-empty arrays.</summary>
    internal sealed class Leaf : Node
    {
        public Leaf(TKey[] keys, TValue[] values)
        {
            Keys = keys;
            Values = values;
        }

        /// <summary>Gets the keys, strictly increasing.</summary>
        public TKey[] Keys { get; }

        /// <summary>Gets the values, parallel to <see cref="Keys"/>.</summary>
        public TValue[] Values { get; }

        /// <inheritdoc />
        public override int Count => Keys.Length;

        /// <inheritdoc />
        public override TKey FirstKey => Keys[0];
    }

    /// <summary>A branch: children of equal height and, for each, its smallest key.</summary>
    internal sealed class Branch : Node
    {
        private readonly int _count;

        public Branch(Node[] children, TKey[] lows, int count)
        {
            Children = children;
            Lows = lows;
            _count = count;
        }

        /// <summary>Gets the children, in key order (at least two, except transiently inside an operation).</summary>
        public Node[] Children { get; }

        /// <summary>Gets the smallest key of each child.</summary>
        public TKey[] Lows { get; }

        /// <inheritdoc />
        public override int Count => _count;

        /// <inheritdoc />
        public override TKey FirstKey => Lows[0];

        /// <summary>Creates a branch over <paramref name="children"/>, computing lows and count.</summary>
        public static Branch Create(Node[] children)
        {
            var lows = new TKey[children.Length];
            int count = 0;

            // lows is exactly TKey[] (created here), so the stores skip the covariance check, which would read each
            // key object's type (a cache miss per child after a large join or build).
            ref TKey low = ref MemoryMarshal.GetArrayDataReference(lows);
            for (int i = 0; i < children.Length; i++)
            {
                Node child = children[i];
                if (child is Leaf leaf)
                {
                    Unsafe.Add(ref low, i) = leaf.Keys[0];
                    count += leaf.Keys.Length;
                }
                else
                {
                    Unsafe.Add(ref low, i) = child.FirstKey;
                    count += child.Count;
                }
            }

            return new Branch(children, lows, count);
        }

        /// <summary>Creates a branch over <c>nodes[start..start+length)</c>.</summary>
        public static Branch Create(List<Node> nodes, int start, int length)
        {
            var children = new Node[length];
            nodes.CopyTo(start, children, 0, length);
            return Create(children);
        }
    }
}
