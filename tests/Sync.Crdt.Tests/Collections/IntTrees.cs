using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Tests.Collections;

/// <summary>Building, listing and comparing <c>SortedTree&lt;int, int&gt;</c> instances in tests.</summary>
internal static class IntTrees
{
    /// <summary>The natural order of <see cref="int"/>.</summary>
    public static readonly IComparer<int> Order = Comparer<int>.Default;

    /// <summary>Builds a tree holding exactly the model's entries.</summary>
    public static SortedTree<int, int> Build(SortedDictionary<int, int> model) =>
        SortedTree<int, int>.FromSorted(Order, model.Keys.ToArray(), model.Values.ToArray());

    /// <summary>Lists a tree's entries in order through its enumerator.</summary>
    public static KeyValuePair<int, int>[] Enumerate(SortedTree<int, int> tree)
    {
        var list = new List<KeyValuePair<int, int>>();
        foreach (KeyValuePair<int, int> entry in tree)
        {
            list.Add(entry);
        }

        return list.ToArray();
    }

    /// <summary>Counts the leaves of <paramref name="result"/>, and how many of them are leaf instances of <paramref name="original"/>.</summary>
    public static (int Reused, int Total) ReusedLeaves(SortedTree<int, int> original, SortedTree<int, int> result)
    {
        var originalLeaves = new HashSet<object>(ReferenceEqualityComparer.Instance);
        for (var cursor = new SortedTree<int, int>.LeafCursor(original.Root); cursor.Leaf is not null; cursor.MoveNextLeaf())
        {
            originalLeaves.Add(cursor.Leaf);
        }

        int reused = 0;
        int total = 0;
        for (var cursor = new SortedTree<int, int>.LeafCursor(result.Root); cursor.Leaf is not null; cursor.MoveNextLeaf())
        {
            total++;
            reused += originalLeaves.Contains(cursor.Leaf) ? 1 : 0;
        }

        return (reused, total);
    }
}
