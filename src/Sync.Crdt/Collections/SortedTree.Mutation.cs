using System;
using System.Collections.Generic;

namespace Sync.Crdt.Collections;

/// <content>Path-copying insert and remove.</content>
internal sealed partial class SortedTree<TKey, TValue>
{
    private static Node? RemoveFrom(Node node, TKey key, IComparer<TKey> comparer, out bool removed)
    {
        if (node is Leaf leaf)
        {
            int index = LeafIndex(leaf.Keys, key, comparer);
            if (index < 0)
            {
                removed = false;
                return node;
            }

            removed = true;
            return leaf.Keys.Length == 1 ? null : new Leaf(RemoveAt(leaf.Keys, index), RemoveAt(leaf.Values, index));
        }

        var branch = (Branch)node;
        int at = ChildIndex(branch.Lows, key, comparer);
        Node? child = RemoveFrom(branch.Children[at], key, comparer, out removed);
        if (!removed)
        {
            return node;
        }

        if (child is null)
        {
            return branch.Children.Length == 1 ? null : new Branch(RemoveAt(branch.Children, at), RemoveAt(branch.Lows, at), branch.Count - 1);
        }

        if (branch.Children.Length > 1 && IsUnderfull(child))
        {
            return Rebalance(branch, at, child);
        }

        var children = (Node[])branch.Children.Clone();
        children[at] = child;
        TKey[] lows = branch.Lows;
        if (comparer.Compare(lows[at], key) == 0)
        {
            lows = (TKey[])lows.Clone();
            lows[at] = child.FirstKey;
        }

        return new Branch(children, lows, branch.Count - 1);
    }

    private static bool IsUnderfull(Node node) =>
        node is Leaf leaf ? leaf.Keys.Length < LeafMin : ((Branch)node).Children.Length < BranchMin;

    /// <summary>Replaces child <paramref name="at"/> (now <paramref name="child"/>, underfull) and a sibling by one or two balanced nodes.</summary>
    private static Branch Rebalance(Branch branch, int at, Node child)
    {
        int sibling = at + 1 < branch.Children.Length ? at + 1 : at - 1;
        int first = Math.Min(at, sibling);
        Node left = first == at ? child : branch.Children[first];
        Node right = first == at ? branch.Children[sibling] : child;
        Node[] combined = Combine(left, right);

        int oldLength = branch.Children.Length;
        var children = new Node[oldLength - 2 + combined.Length];
        Array.Copy(branch.Children, children, first);
        combined.CopyTo(children, first);
        Array.Copy(branch.Children, first + 2, children, first + combined.Length, oldLength - first - 2);
        var lows = new TKey[children.Length];
        Array.Copy(branch.Lows, lows, first);
        for (int i = 0; i < combined.Length; i++)
        {
            lows[first + i] = combined[i].FirstKey;
        }

        Array.Copy(branch.Lows, first + 2, lows, first + combined.Length, oldLength - first - 2);
        return new Branch(children, lows, branch.Count - 1);
    }

    /// <summary>Concatenates two adjacent nodes of one height into one node, or two evenly filled ones when too big.</summary>
    private static Node[] Combine(Node left, Node right)
    {
        if (left is Leaf l)
        {
            var r = (Leaf)right;
            TKey[] keys = [.. l.Keys, .. r.Keys];
            TValue[] values = [.. l.Values, .. r.Values];
            if (keys.Length <= LeafMax)
            {
                return [new Leaf(keys, values)];
            }

            int half = keys.Length / 2;
            return [new Leaf(keys[..half], values[..half]), new Leaf(keys[half..], values[half..])];
        }

        Node[] children = [.. ((Branch)left).Children, .. ((Branch)right).Children];
        if (children.Length <= BranchMax)
        {
            return [Branch.Create(children)];
        }

        int split = children.Length / 2;
        return [Branch.Create(children[..split]), Branch.Create(children[split..])];
    }

    private static T[] InsertAt<T>(T[] source, int index, T item)
    {
        var result = new T[source.Length + 1];
        Array.Copy(source, result, index);
        result[index] = item;
        Array.Copy(source, index, result, index + 1, source.Length - index);
        return result;
    }

    private static T[] RemoveAt<T>(T[] source, int index)
    {
        var result = new T[source.Length - 1];
        Array.Copy(source, result, index);
        Array.Copy(source, index + 1, result, index, source.Length - index - 1);
        return result;
    }
}
