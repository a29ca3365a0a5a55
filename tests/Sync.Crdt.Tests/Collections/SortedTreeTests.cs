using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck.Fluent;
using Sync.Crdt.Collections;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Collections;

public class SortedTreeTests
{
    private static readonly IComparer<int> Order = Comparer<int>.Default;

    [Theory]
    [InlineData(1, 6000)]
    [InlineData(2, 6000)]
    [InlineData(3, 6000)]
    public void RandomOperations_MatchSortedDictionary_AndOldVersionsStayIntact(int seed, int operations)
    {
        // In the manner of System.Collections.Immutable's RandomOperationsTest: a seeded mix of operations
        // against a naive model, with invariants checked along the way and old versions re-checked at the end.
        var random = new Random(seed);
        var model = new SortedDictionary<int, int>();
        SortedTree<int, int> tree = SortedTree<int, int>.Empty(Order);
        var snapshots = new List<(SortedTree<int, int> Tree, KeyValuePair<int, int>[] Expected)>();
        int keyRange = 3000;
        for (int i = 0; i < operations; i++)
        {
            int key = random.Next(keyRange);
            int action = random.Next(10);
            if (action < 6)
            {
                int value = random.Next();
                SortedTree<int, int> next = tree.SetItem(key, value, out bool existed, out int previous);
                Assert.NotSame(tree, next);
                Assert.Equal(model.TryGetValue(key, out int expectedPrevious), existed);
                Assert.Equal(expectedPrevious, previous);
                model[key] = value;
                tree = next;
            }
            else if (action < 9)
            {
                SortedTree<int, int> next = tree.Remove(key);
                bool removed = model.Remove(key);
                Assert.Equal(!removed, ReferenceEquals(next, tree));
                tree = next;
            }
            else
            {
                Assert.Equal(model.TryGetValue(key, out int expected), tree.TryGetValue(key, out int actual));
                Assert.Equal(expected, actual);
            }

            Assert.Equal(model.Count, tree.Count);
            if (i % 500 == 0)
            {
                tree.Validate();
                Assert.Equal(model.ToArray(), IntTrees.Enumerate(tree));
                snapshots.Add((tree, model.ToArray()));
            }

            if (i == operations / 2)
            {
                keyRange = 300; // shrink the key space so removals drive the tree back down through merges and root collapses
            }
        }

        tree.Validate();
        Assert.Equal(model.ToArray(), IntTrees.Enumerate(tree));
        foreach ((SortedTree<int, int> snapshot, KeyValuePair<int, int>[] expected) in snapshots)
        {
            snapshot.Validate();
            Assert.Equal(expected, IntTrees.Enumerate(snapshot));
        }
    }

    [Fact]
    public void RemoveAll_InRandomOrder_LeavesEmptyTree()
    {
        var random = new Random(7);
        int[] keys = Enumerable.Range(0, 5000).ToArray();
        SortedTree<int, int> tree = SortedTree<int, int>.FromSorted(Order, keys, keys);
        Assert.True(tree.Height >= 2);
        random.Shuffle(keys);
        foreach (int key in keys)
        {
            tree = tree.Remove(key);
        }

        tree.Validate();
        Assert.Equal(0, tree.Count);
        Assert.Null(tree.Root);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(47)]
    [InlineData(48)]
    [InlineData(49)]
    [InlineData(1153)]
    [InlineData(100_000)]
    public void FromSorted_AnySize_ValidTreeWithInputOrder(int size)
    {
        int[] keys = Enumerable.Range(0, size).Select(i => i * 2).ToArray();
        int[] values = keys.Select(k => -k).ToArray();
        SortedTree<int, int> tree = SortedTree<int, int>.FromSorted(Order, keys, values);
        tree.Validate();
        Assert.Equal(size, tree.Count);
        Assert.Equal(keys.Zip(values, (k, v) => new KeyValuePair<int, int>(k, v)).ToArray(), IntTrees.Enumerate(tree));
        Assert.False(tree.ContainsKey(1));
    }

    [Fact]
    public void GetEnumeratorFrom_StartsAtFirstKeyNotBelow() =>
        PropertyCheck.ForAll(Gen.Choose(0, int.MaxValue), seed =>
        {
            var random = new Random(seed);
            int[] keys = Enumerable.Range(0, random.Next(0, 2000)).Select(i => i * 3).ToArray();
            SortedTree<int, int> tree = SortedTree<int, int>.FromSorted(Order, keys, keys);
            int from = random.Next(-5, (keys.Length * 3) + 5);
            var seen = new List<int>();
            SortedTree<int, int>.Enumerator e = tree.GetEnumerator(from);
            while (e.MoveNext())
            {
                seen.Add(e.CurrentKey);
            }

            Assert.Equal(keys.Where(k => k >= from).ToArray(), seen.ToArray());
        },
        iterations: 100);

    [Fact]
    public void Enumerator_DoesNotAllocate()
    {
        int[] keys = Enumerable.Range(0, 10_000).ToArray();
        SortedTree<int, int> tree = SortedTree<int, int>.FromSorted(Order, keys, keys);
        long sum = 0;
        SumKeys(tree); // warm up (JIT)
        long before = GC.GetAllocatedBytesForCurrentThread();
        sum += SumKeys(tree);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(keys.Sum(k => (long)k), sum);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Join_RandomTrees_MatchesModelAndKeepsInvariants() =>
        PropertyCheck.ForAll(
            Gen.Choose(0, int.MaxValue),
            seed =>
            {
                var random = new Random(seed);
                int size = random.Next(3000);
                int leftEdits = random.Next(60);
                int rightEdits = random.Next(60);
                bool shared = random.Next(2) == 0;
                var baseModel = new SortedDictionary<int, int>();
                for (int i = 0; i < size; i++)
                {
                    baseModel[random.Next(size * 2 + 1)] = random.Next(1000);
                }

                SortedTree<int, int> baseTree = IntTrees.Build(baseModel);
                SortedTree<int, int> left = Edit(shared ? baseTree : IntTrees.Build(baseModel), baseModel, leftEdits, random, out SortedDictionary<int, int> leftModel);
                SortedTree<int, int> right = Edit(shared ? baseTree : IntTrees.Build(baseModel), baseModel, rightEdits, random, out SortedDictionary<int, int> rightModel);

                SortedTree<int, int> joined = left.Join(right, default(MaxJoiner), LiveOf(left), LiveOf(right), out int live);
                joined.Validate();
                SortedDictionary<int, int> expected = ModelJoin(leftModel, rightModel);
                Assert.Equal(expected.ToArray(), IntTrees.Enumerate(joined));
                Assert.Equal(expected.Values.Count(v => v % 2 == 0), live);

                SortedTree<int, int> reversed = right.Join(left, default(MaxJoiner), LiveOf(right), LiveOf(left), out int reversedLive);
                reversed.Validate();
                SortedDictionary<int, int> reversedExpected = ModelJoin(rightModel, leftModel);
                Assert.Equal(reversedExpected.ToArray(), IntTrees.Enumerate(reversed));
                Assert.Equal(reversedExpected.Values.Count(v => v % 2 == 0), reversedLive);

                // Idempotent and no-op joins hand back an input instance, with its live count.
                Assert.Same(joined, joined.Join(joined, default(MaxJoiner), live, live, out int idempotentLive));
                Assert.Equal(live, idempotentLive);
            },
            iterations: 120);

    [Fact]
    public void Join_WithDominatedTree_ReturnsLargerInstance()
    {
        // Values are never divisible by 7, so the joiner keeps every left-only entry.
        int[] keys = Enumerable.Range(0, 2000).ToArray();
        int[] values = keys.Select(k => (k * 7) + 1).ToArray();
        SortedTree<int, int> big = SortedTree<int, int>.FromSorted(Order, keys, values);
        SortedTree<int, int> small = SortedTree<int, int>.FromSorted(Order, keys[100..110], values[100..110]);
        Assert.Same(big, big.Join(small, default(MaxJoiner), LiveOf(big), LiveOf(small), out _));
        Assert.Same(big, small.Join(big, default(MaxJoiner), LiveOf(small), LiveOf(big), out _));
    }

    [Fact]
    public void Join_SharedAncestry_ReusesUntouchedLeaves()
    {
        int[] keys = Enumerable.Range(0, 10_000).Select(k => k * 2).ToArray();
        SortedTree<int, int> ancestor = SortedTree<int, int>.FromSorted(Order, keys, keys);
        SortedTree<int, int> left = ancestor.SetItem(5, 5);
        SortedTree<int, int> right = ancestor.SetItem(19_001, 19_001);
        SortedTree<int, int> joined = left.Join(right, default(MaxJoiner), LiveOf(left), LiveOf(right), out _);
        Assert.Equal(10_002, joined.Count);

        (int reused, int total) = IntTrees.ReusedLeaves(ancestor, joined);
        Assert.True(total - reused <= 4, $"Only {reused} of {total} leaves were reused.");
    }

    private static long SumKeys(SortedTree<int, int> tree)
    {
        long sum = 0;
        foreach (KeyValuePair<int, int> entry in tree)
        {
            sum += entry.Key;
        }

        return sum;
    }

    private static SortedTree<int, int> Edit(SortedTree<int, int> tree, SortedDictionary<int, int> baseModel, int edits, Random random, out SortedDictionary<int, int> model)
    {
        model = new SortedDictionary<int, int>(baseModel);
        int range = (baseModel.Count * 2) + 10;
        for (int i = 0; i < edits; i++)
        {
            int key = random.Next(range);
            if (random.Next(3) == 0)
            {
                model.Remove(key);
                tree = tree.Remove(key);
            }
            else
            {
                int value = random.Next(1000);
                model[key] = value;
                tree = tree.SetItem(key, value);
            }
        }

        return tree;
    }

    private static SortedDictionary<int, int> ModelJoin(SortedDictionary<int, int> left, SortedDictionary<int, int> right)
    {
        var result = new SortedDictionary<int, int>();
        foreach ((int key, int value) in left)
        {
            if (right.TryGetValue(key, out int other))
            {
                result[key] = Math.Max(value, other);
            }
            else if (value % 7 != 0)
            {
                result[key] = value;
            }
        }

        foreach ((int key, int value) in right)
        {
            if (!left.ContainsKey(key))
            {
                result[key] = value;
            }
        }

        return result;
    }

    /// <summary>The number of entries <see cref="MaxJoiner"/> counts as live (even values), by enumeration.</summary>
    private static int LiveOf(SortedTree<int, int> tree) => IntTrees.Enumerate(tree).Count(entry => entry.Value % 2 == 0);

    /// <summary>Max of both values; left-only values divisible by 7 are dropped (to exercise drops); even values are "live".</summary>
    private readonly struct MaxJoiner : ISortedTreeJoiner<int>
    {
        public JoinOutcome Both(int left, int right, out int merged)
        {
            merged = Math.Max(left, right);
            return left == right ? JoinOutcome.Same : left > right ? JoinOutcome.Left : JoinOutcome.Right;
        }

        public JoinOutcome LeftOnly(int left, out int merged)
        {
            merged = left;
            return left % 7 == 0 ? JoinOutcome.Drop : JoinOutcome.Left;
        }

        public JoinOutcome RightOnly(int right, out int merged)
        {
            merged = right;
            return JoinOutcome.Right;
        }

        public bool IsLive(int value) => value % 2 == 0;
    }
}
