using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Sets;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Sets;

public class ORSetTests
{
    private static readonly ReplicaId A = "a";
    private static readonly ReplicaId B = "b";

    [Fact]
    public void Merge_SeedRemoveBug_RemoveSurvivesMergeWithReplicaThatOnlySawTheAdd()
    {
        // Seed 000: A adds x, B syncs (observes the add), A removes x. The seed's merge unions tags per element
        // and brings x back; the observed-remove merge keeps it removed, in both directions.
        ORSet<string> a = ORSet<string>.Empty.Add(A, "x");
        ORSet<string> b = ORSet<string>.Empty.Merge(a);
        a = a.Remove("x");

        Assert.False(a.Merge(b).Contains("x"));
        Assert.False(b.Merge(a).Contains("x"));
        EqualityAssert.Equal(a.Merge(b), b.Merge(a));
    }

    [Fact]
    public void Merge_ConcurrentAddAndRemove_AddWins()
    {
        ORSet<string> a = ORSet<string>.Empty.Add(A, "x");
        ORSet<string> b = ORSet<string>.Empty.Merge(a);
        a = a.Remove("x");
        b = b.Add(B, "x"); // concurrent with the remove: A never saw this add

        Assert.True(a.Merge(b).Contains("x"));
        Assert.True(b.Merge(a).Contains("x"));
        Assert.Equal<Dot>([new Dot(B, 1)], a.Merge(b).GetDots("x"));
    }

    [Fact]
    public void Merge_RemoveThenReAddOnOtherReplica_ElementPresent()
    {
        ORSet<string> a = ORSet<string>.Empty.Add(A, "x");
        ORSet<string> b = ORSet<string>.Empty.Merge(a).Remove("x");
        a = a.Merge(b);
        Assert.False(a.Contains("x"));
        a = a.Add(A, "x");
        Assert.True(b.Merge(a).Contains("x"));
    }

    [Fact]
    public void Remove_AbsentElement_ReturnsSameInstanceAndEmptyDelta()
    {
        ORSet<string> set = ORSet<string>.Empty.Add(A, "x");
        Assert.Same(set, set.Remove("y"));
        Assert.Same(set, set.Remove("y", out ORSet<string> delta));
        Assert.True(delta.IsEmpty);
        Assert.True(delta.Context.IsEmpty);
    }

    [Fact]
    public void Merge_DominatedOrEqualState_ReturnsSameInstance()
    {
        ORSet<string> older = ORSet<string>.Empty.Add(A, "x").Add(A, "y");
        ORSet<string> newer = older.Remove("x").Add(A, "z");
        Assert.Same(newer, newer.Merge(older));
        Assert.Same(newer, older.Merge(newer));
        Assert.Same(newer, newer.Merge(ORSet<string>.Empty));
        Assert.Same(newer, ORSet<string>.Empty.Merge(newer));
        Assert.Same(newer, newer.Merge(newer));

        ORSet<string> copy = ORSet<string>.Empty.Merge(older).Remove("x").Add(A, "z"); // equal, different instance
        Assert.NotSame(newer, copy);
        Assert.Same(newer, newer.Merge(copy));
    }

    [Fact]
    public void Add_Delta_IsOneElementWithNewDotAndReplacedDots()
    {
        ORSet<string> set = ORSet<string>.Empty;
        for (int i = 0; i < 1000; i++)
        {
            set = set.Add(A, "item" + i);
        }

        set = set.Merge(ORSet<string>.Empty.Add(B, "item5"));
        ORSet<string> next = set.Add(A, "item5", out ORSet<string> delta);

        Assert.Equal(["item5"], delta.ToArray());
        Assert.Equal<Dot>([new Dot(A, 1001)], delta.GetDots("item5"));
        Assert.True(delta.Context.Contains(new Dot(A, 1001)));
        Assert.True(delta.Context.Contains(new Dot(A, 6)));
        Assert.True(delta.Context.Contains(new Dot(B, 1)));
        Assert.False(delta.Context.Contains(new Dot(A, 5)));
        Assert.Equal(2, delta.Context.DotCloud.Length);
        Assert.Equal(next, set.Merge(delta));
    }

    [Fact]
    public void Remove_Delta_HasNoElementsAndContextOfRemovedDots()
    {
        ORSet<string> set = ORSet<string>.Empty.Add(A, "x").Add(A, "y");
        ORSet<string> peer = ORSet<string>.Empty.Merge(set);
        ORSet<string> next = set.Remove("x", out ORSet<string> delta);

        Assert.True(delta.IsEmpty);
        Assert.True(delta.Context.Contains(new Dot(A, 1)));
        Assert.False(delta.Context.Contains(new Dot(A, 2)));
        EqualityAssert.Equal(next, peer.Merge(delta));
    }

    [Fact]
    public void RemoveDelta_AppliedBeforeTheAddItRemoves_StillRemoves()
    {
        // Out-of-order delivery: the remove's delta reaches C before the add's delta.
        ORSet<string> a = ORSet<string>.Empty.Add(A, "x", out ORSet<string> addDelta);
        a.Remove("x", out ORSet<string> removeDelta);

        ORSet<string> c = ORSet<string>.Empty.Merge(removeDelta).Merge(addDelta);
        Assert.False(c.Contains("x"));
        EqualityAssert.Equal(ORSet<string>.Empty.Merge(addDelta).Merge(removeDelta), c);
    }

    [Fact]
    public void Clear_KeepsContext_AndConcurrentAddSurvives()
    {
        ORSet<string> a = ORSet<string>.Empty.Add(A, "x").Add(A, "y");
        ORSet<string> b = ORSet<string>.Empty.Merge(a).Add(B, "z");
        ORSet<string> cleared = a.Clear(out ORSet<string> delta);

        Assert.True(cleared.IsEmpty);
        Assert.Equal(a.Context, cleared.Context);
        Assert.Equal(["z"], b.Merge(delta).ToArray());
        Assert.Equal(["z"], cleared.Merge(b).ToArray());
        Assert.Same(cleared, cleared.Clear());
    }

    [Fact]
    public void Add_DefaultReplica_ThrowsAndLeavesStateUntouched()
    {
        ORSet<string> set = ORSet<string>.Empty.Add(A, "x");
        string before = set.ToString();
        Assert.Throws<ArgumentException>("replica", () => set.Add(default, "y"));
        Assert.Throws<ArgumentNullException>("item", () => set.Add(A, null!));
        Assert.Throws<ArgumentNullException>("item", () => set.Remove(null!));
        Assert.Throws<ArgumentNullException>("item", () => set.Contains(null!));
        Assert.Throws<ArgumentNullException>("other", () => set.Merge(null!));
        Assert.Equal(before, set.ToString());
        Assert.Equal(2, set.Add(A, "y").Context.VersionVector[A]);
    }

    [Fact]
    public void Empty_TypeWithoutOrder_ThrowsClearException()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ORSet<Unordered>.Empty);
        Assert.Contains(nameof(Unordered), ex.Message, StringComparison.Ordinal);
        Assert.Contains("IComparer", ex.Message, StringComparison.Ordinal);

        ORSet<Unordered> set = ORSet<Unordered>.CreateEmpty(Comparer<Unordered>.Create((x, y) => x.Id.CompareTo(y.Id)))
            .Add(A, new Unordered(2)).Add(A, new Unordered(1));
        Assert.Equal([1, 2], set.Select(u => u.Id).ToArray());
    }

    [Fact]
    public void Create_CustomComparer_OrdersEnumeration_AndMergeRejectsOtherOrder()
    {
        ORSet<string> reversed = ORSet<string>.CreateEmpty(Comparer<string>.Create((x, y) => string.CompareOrdinal(y, x)))
            .Add(A, "a").Add(A, "c").Add(A, "b");
        Assert.Equal(["c", "b", "a"], reversed.ToArray());

        ORSet<string> ordinal = ORSet<string>.Empty.Add(B, "a");
        Assert.Throws<ArgumentException>("other", () => reversed.Merge(ordinal));
        Assert.Same(ORSet<string>.Empty, ORSet<string>.CreateEmpty(StringComparer.Ordinal));
    }

    [Fact]
    public void ValueTypeElements_DefaultOrder_AddRemoveMerge()
    {
        ORSet<int> a = ORSet<int>.Empty.Add(A, 3).Add(A, -1).Add(A, 2);
        ORSet<int> b = ORSet<int>.Empty.Merge(a).Remove(2).Add(B, 10);
        Assert.Equal([-1, 3, 10], a.Merge(b).ToArray());
        Assert.Same(a, a.Remove(42));
    }

    [Fact]
    public void Empty_String_IsOrdinal()
    {
        ORSet<string> set = ORSet<string>.Empty.Add(A, "b").Add(A, "B").Add(A, "a").Add(A, "é");
        Assert.Equal(["B", "a", "b", "é"], set.ToArray());
    }

    [Fact]
    public void Equality_SameStateDifferentPaths_EqualAndHashAlike()
    {
        ORSet<string> direct = ORSet<string>.Empty.Add(A, "x", out ORSet<string> d1).Add(A, "y", out ORSet<string> d2).Remove("x", out ORSet<string> d3);
        ORSet<string> fromDeltas = ORSet<string>.Empty.Merge(d3).Merge(d1).Merge(d2);
        EqualityAssert.Equal(direct, fromDeltas);

        EqualityAssert.NotEqual(direct, ORSet<string>.Empty.Add(A, "y"));
        EqualityAssert.NotEqual(direct, direct.Add(A, "y"));
    }

    [Fact]
    public void Builder_Batch_EqualsSequentialOperations_AndDeltaReproducesIt()
    {
        ORSet<string> start = ORSet<string>.Empty.Add(A, "keep").Add(A, "drop");
        ORSet<string>.Builder builder = start.ToBuilder();
        Assert.Same(start, builder.ToImmutable());
        builder.Add(B, "x");
        builder.Add(B, "y");
        Assert.True(builder.Remove("drop"));
        Assert.False(builder.Remove("absent"));
        Assert.True(builder.Contains("x"));
        Assert.Equal(3, builder.Count);

        ORSet<string> expected = start.Add(B, "x").Add(B, "y").Remove("drop");
        EqualityAssert.Equal(expected, builder.ToImmutable());
        EqualityAssert.Equal(expected, start.Merge(builder.ToDelta()));
        Assert.Equal(["keep", "x", "y"], builder.ToArray());
        Assert.Equal(2, start.Count);
    }

    [Fact]
    public void Enumerator_DoesNotAllocate()
    {
        ORSet<string>.Builder builder = ORSet<string>.Empty.ToBuilder();
        for (int i = 0; i < 5000; i++)
        {
            builder.Add(A, i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture));
        }

        ORSet<string> set = builder.ToImmutable();
        Assert.Equal(5000, CountElements(set));
        long before = GC.GetAllocatedBytesForCurrentThread();
        int counted = CountElements(set);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(5000, counted);
    }

    private static int CountElements(ORSet<string> set)
    {
        int n = 0;
        foreach (string item in set)
        {
            n += item.Length > 0 ? 1 : 0;
        }

        return n;
    }

    private sealed record Unordered(int Id);
}
