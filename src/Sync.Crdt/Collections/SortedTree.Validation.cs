using System;
using System.Collections.Generic;

namespace Sync.Crdt.Collections;

/// <content>Invariant checking, for tests and decoders.</content>
internal sealed partial class SortedTree<TKey, TValue>
{
    /// <summary>Checks every structural invariant in O(n); throws <see cref="InvalidOperationException"/> naming the first broken one.</summary>
    internal void Validate()
    {
        if (Root is null)
        {
            if (Height != 0)
            {
                throw new InvalidOperationException("An empty tree must have height 0.");
            }

            return;
        }

        if (Height > MaxHeight)
        {
            throw new InvalidOperationException($"Height {Height} exceeds {MaxHeight}.");
        }

        bool hasPrevious = false;
        TKey previous = default!;
        ValidateNode(Root, Height, isRoot: true, ref hasPrevious, ref previous);
    }

    private void ValidateNode(Node node, int height, bool isRoot, ref bool hasPrevious, ref TKey previous)
    {
        if (node is Leaf leaf)
        {
            if (height != 0)
            {
                throw new InvalidOperationException("A leaf is not at the bottom level.");
            }

            if (leaf.Keys.Length == 0 || leaf.Keys.Length > LeafMax || leaf.Values.Length != leaf.Keys.Length)
            {
                throw new InvalidOperationException($"A leaf has {leaf.Keys.Length} keys and {leaf.Values.Length} values.");
            }

            foreach (TKey key in leaf.Keys)
            {
                if (hasPrevious && Comparer.Compare(previous, key) >= 0)
                {
                    throw new InvalidOperationException($"Keys out of order: {previous} then {key}.");
                }

                previous = key;
                hasPrevious = true;
            }

            return;
        }

        var branch = (Branch)node;
        if (height == 0)
        {
            throw new InvalidOperationException("A branch is at the bottom level.");
        }

        int children = branch.Children.Length;
        if (children > BranchMax || children < (isRoot ? 2 : BranchMin) || branch.Lows.Length != children)
        {
            throw new InvalidOperationException($"A branch has {children} children (root: {isRoot}).");
        }

        int count = 0;
        for (int i = 0; i < children; i++)
        {
            Node child = branch.Children[i];
            if (!EqualityComparer<TKey>.Default.Equals(branch.Lows[i], child.FirstKey))
            {
                throw new InvalidOperationException($"A branch's low {branch.Lows[i]} differs from its child's first key {child.FirstKey}.");
            }

            ValidateNode(child, height - 1, isRoot: false, ref hasPrevious, ref previous);
            count += child.Count;
        }

        if (count != branch.Count)
        {
            throw new InvalidOperationException($"A branch counts {branch.Count} entries but holds {count}.");
        }
    }
}
