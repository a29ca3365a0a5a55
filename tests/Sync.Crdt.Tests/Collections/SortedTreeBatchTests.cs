using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck.Fluent;
using Sync.Crdt.Collections;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Collections;

/// <summary>Batch edits in key order, and the change log of a join that they replay.</summary>
public class SortedTreeBatchTests
{
    [Fact]
    public void ApplySortedAndApplyFew_RandomEdits_MatchSortedDictionary_AndLeaveInputIntact() =>
        PropertyCheck.ForAll(
            Gen.Choose(0, int.MaxValue),
            seed =>
            {
                var random = new Random(seed);
                int size = random.Next(3000);
                var model = new SortedDictionary<int, int>();
                for (int i = 0; i < size; i++)
                {
                    model[random.Next((size * 2) + 1)] = random.Next();
                }

                SortedTree<int, int> tree = IntTrees.Build(model);
                KeyValuePair<int, int>[] before = model.ToArray();

                // Edits anywhere in (and beyond) the key range, some removing absent keys.
                var edits = new SortedDictionary<int, SortedTreeEdit<int, int>>();
                int count = random.Next(1, 300);
                for (int i = 0; i < count; i++)
                {
                    int key = random.Next(-10, (size * 2) + 20);
                    edits[key] = new SortedTreeEdit<int, int>(key, random.Next(), IsRemoval: random.Next(3) == 0);
                }

                SortedTree<int, int> edited = tree.ApplySorted(edits.Values.ToArray());
                SortedTree<int, int> editedFew = tree.ApplyFew(edits.Values.ToArray());
                foreach (SortedTreeEdit<int, int> edit in edits.Values)
                {
                    if (edit.IsRemoval)
                    {
                        model.Remove(edit.Key);
                    }
                    else
                    {
                        model[edit.Key] = edit.Value;
                    }
                }

                edited.Validate();
                editedFew.Validate();
                Assert.Equal(model.ToArray(), IntTrees.Enumerate(edited));
                Assert.Equal(model.ToArray(), IntTrees.Enumerate(editedFew));
                Assert.Equal(before, IntTrees.Enumerate(tree));
            },
            iterations: 120);

    [Fact]
    public void ApplyFew_RunsOfNeighbouringKeys_SplitAndEmptyLeaves_KeepInvariants() =>
        PropertyCheck.ForAll(
            Gen.Choose(0, int.MaxValue),
            seed =>
            {
                // Dense runs: many inserts into one leaf (splits into several), or removal of whole leaves.
                var random = new Random(seed);
                var model = new SortedDictionary<int, int>();
                int size = random.Next(1, 4000);
                for (int i = 0; i < size; i++)
                {
                    model[i * 4] = i;
                }

                SortedTree<int, int> tree = IntTrees.Build(model);
                int start = random.Next(size * 4);
                int length = random.Next(1, 400);
                bool remove = random.Next(2) == 0;
                var edits = new List<SortedTreeEdit<int, int>>();
                for (int key = start; key < start + length; key++)
                {
                    edits.Add(new SortedTreeEdit<int, int>(key, -key, remove));
                    if (remove)
                    {
                        model.Remove(key);
                    }
                    else
                    {
                        model[key] = -key;
                    }
                }

                SortedTree<int, int> edited = tree.ApplyFew(edits.ToArray());
                edited.Validate();
                Assert.Equal(model.ToArray(), IntTrees.Enumerate(edited));
            },
            iterations: 150);

    [Fact]
    public void ApplySorted_NoEdits_ReturnsSameInstance()
    {
        SortedTree<int, int> tree = IntTrees.Build(new SortedDictionary<int, int> { [1] = 1, [2] = 2 });
        Assert.Same(tree, tree.ApplySorted([]));
        Assert.Same(tree, tree.ApplyFew([]));
        Assert.Same(tree, tree.ApplyFew([new(5, 0, IsRemoval: true)]));
    }

    [Fact]
    public void ApplySorted_FewEdits_ReusesUntouchedLeaves()
    {
        int[] keys = Enumerable.Range(0, 10_000).Select(k => k * 2).ToArray();
        SortedTree<int, int> tree = SortedTree<int, int>.FromSorted(IntTrees.Order, keys, keys);
        SortedTree<int, int> edited = tree.ApplySorted([new(7, 7, false), new(10_000, 0, true), new(19_999, 1, false)]);

        Assert.Equal(10_001, edited.Count);
        (int reused, int total) = IntTrees.ReusedLeaves(tree, edited);
        Assert.True(total - reused <= 3, $"Only {reused} of {total} leaves were reused.");
    }

    [Fact]
    public void Join_RecordedChanges_ReplayedOnThePrimary_GiveTheJoin() =>
        PropertyCheck.ForAll(
            Gen.Choose(0, int.MaxValue),
            seed =>
            {
                var random = new Random(seed);
                SortedTree<int, int> left = RandomTree(random, random.Next(2500));
                SortedTree<int, int> right = random.Next(2) == 0 ? Edit(left, random) : RandomTree(random, random.Next(2500));

                var changes = new List<SortedTreeChange<int, int>>();
                SortedTree<int, int> joined = left.Join(right, default(MaxJoiner), left.Count, right.Count, changes, out _);
                SortedTree<int, int> primary = left.IsPrimaryOther(right) ? right : left;

                // The log is in strictly increasing key order and describes the primary's entry faithfully.
                for (int i = 0; i < changes.Count; i++)
                {
                    Assert.True(i == 0 || changes[i - 1].Key < changes[i].Key);
                    Assert.Equal(primary.TryGetValue(changes[i].Key, out int value), changes[i].HadBefore);
                    Assert.Equal(changes[i].HadBefore ? value : 0, changes[i].Before);
                }

                SortedTree<int, int> replayed = primary.ApplySorted(
                    changes.Select(c => new SortedTreeEdit<int, int>(c.Key, c.After, IsRemoval: !c.HasAfter)).ToArray());
                Assert.Equal(IntTrees.Enumerate(joined), IntTrees.Enumerate(replayed));
            },
            iterations: 120);

    private static SortedTree<int, int> RandomTree(Random random, int size)
    {
        var model = new SortedDictionary<int, int>();
        for (int i = 0; i < size; i++)
        {
            model[random.Next(5000)] = random.Next(1000);
        }

        return IntTrees.Build(model);
    }

    private static SortedTree<int, int> Edit(SortedTree<int, int> tree, Random random)
    {
        int edits = random.Next(60);
        for (int i = 0; i < edits; i++)
        {
            int key = random.Next(5000);
            tree = random.Next(3) == 0 ? tree.Remove(key) : tree.SetItem(key, random.Next(1000));
        }

        return tree;
    }

    /// <summary>Max of both values; left-only values divisible by 7 are dropped; right-only values divisible by 5 are halved (merged).</summary>
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
            merged = right / 2;
            return right % 5 == 0 && right != 0 ? JoinOutcome.Merged : JoinOutcome.Right;
        }

        public bool IsLive(int value) => true;
    }
}
