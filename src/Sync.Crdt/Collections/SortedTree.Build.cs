namespace Sync.Crdt.Collections;

/// <content>Bottom-up construction from a source of sorted entries.</content>
internal sealed partial class SortedTree<TKey, TValue>
{
    /// <summary>
    /// Builds a tree of <paramref name="count"/> entries that <paramref name="source"/> writes, in order, straight into
    /// the leaves: O(n), allocating only the tree. The caller guarantees strictly increasing keys.
    /// </summary>
    public static SortedTree<TKey, TValue> FromSource<TSource>(System.Collections.Generic.IComparer<TKey> comparer, int count, ref TSource source)
        where TSource : struct, ISortedSource<TKey, TValue>
    {
        if (count == 0)
        {
            return Empty(comparer);
        }

        int leafCount = (count + LeafFill - 1) / LeafFill;
        var leaves = new System.Collections.Generic.List<Node>(leafCount);
        int start = 0;
        for (int i = 0; i < leafCount; i++)
        {
            // Even distribution, as FromSorted: every leaf gets floor or ceiling of n / leafCount entries.
            int end = (int)((long)count * (i + 1) / leafCount);
            var keys = new TKey[end - start];
            var values = new TValue[end - start];
            source.Fill(keys, values);
            leaves.Add(new Leaf(keys, values));
            start = end;
        }

        return FromNodes(comparer, leaves);
    }

    /// <summary>Returns the number of leaves a bottom-up build of <paramref name="count"/> entries uses.</summary>
    internal static int LeafCountFor(int count) => (count + LeafFill - 1) / LeafFill;

    /// <summary>Returns the end (exclusive) of leaf <paramref name="leaf"/> of <paramref name="leafCount"/> in a bottom-up build of <paramref name="count"/> entries.</summary>
    internal static int LeafEnd(int count, int leafCount, int leaf) => (int)((long)count * (leaf + 1) / leafCount);
}
