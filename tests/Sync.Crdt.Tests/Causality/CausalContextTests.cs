using System;
using System.Linq;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Causality;

public class CausalContextTests
{
    private static readonly ReplicaId A = "a";
    private static readonly ReplicaId B = "b";

    [Fact]
    public void NextDot_IgnoresHigherCloudDotsOfOtherReplicas()
    {
        // A higher out-of-order dot of another replica must not make this replica skip counters.
        CausalContext context = CausalContext.Create(VersionVector.Create(new Dot(A, 2)), [new Dot(B, 10), new Dot(A, 1)]);
        Assert.Equal(new Dot(A, 3), context.NextDot(A));
        Assert.Equal(new Dot(B, 11), context.NextDot(B));
        Assert.Equal(new Dot("c", 1), context.NextDot("c"));
    }

    [Fact]
    public void NextDot_CloudDotEqualToTheVector_DoesNotCountTwice() =>
        Assert.Equal(new Dot(A, 5), CausalContext.Create(VersionVector.Create(new Dot(A, 4)), [new Dot(A, 4), new Dot(A, 3)]).NextDot(A));

    [Fact]
    public void Includes_Null_ThrowsArgumentNullException() =>
        Assert.Throws<ArgumentNullException>("other", () => CausalContext.Empty.Add(new Dot(A, 1)).Includes(null!));

    [Fact]
    public void Add_DefaultDot_ThrowsArgumentException_AndLeavesTheContextUnchanged()
    {
        CausalContext context = CausalContext.Empty.Add(new Dot(A, 1)).Add(new Dot(A, 3));
        Assert.Throws<ArgumentException>("dot", () => context.Add(default));
        EqualityAssert.Equal(CausalContext.Create(VersionVector.Create(new Dot(A, 1)), [new Dot(A, 3)]), context);
    }

    [Fact]
    public void Add_OutOfOrderDots_CompactWhenGapCloses()
    {
        CausalContext context = CausalContext.Empty.Add(new Dot(A, 3)).Add(new Dot(A, 2));
        Assert.False(context.IsCompact);
        Assert.False(context.Contains(new Dot(A, 1)));
        Assert.True(context.Contains(new Dot(A, 3)));
        context = context.Add(new Dot(A, 1));
        Assert.True(context.IsCompact);
        Assert.Equal(3, context.VersionVector[A]);
    }

    [Fact]
    public void Add_ContainedDot_ReturnsSameInstance()
    {
        CausalContext context = CausalContext.Empty.Add(new Dot(A, 1)).Add(new Dot(A, 5));
        Assert.Same(context, context.Add(new Dot(A, 1)));
        Assert.Same(context, context.Add(new Dot(A, 5)));
    }

    [Fact]
    public void NextDot_CountsCloudDots() =>
        Assert.Equal(new Dot(A, 6), CausalContext.Empty.Add(new Dot(A, 5)).NextDot(A));

    [Fact]
    public void Merge_IsSetUnion_AndIncludesAgreesWithContains() =>
        PropertyCheck.ForAll(Gen.Two(CausalityGenerators.Context), t =>
        {
            // The join laws are in CausalContextConformance; this pins what the join is.
            (CausalContext a, CausalContext b) = t;
            CausalContext ab = a.Merge(b);
            foreach (ReplicaId r in CausalityGenerators.Replicas)
            {
                for (int n = 1; n <= 10; n++)
                {
                    var dot = new Dot(r, n);
                    Assert.Equal(a.Contains(dot) || b.Contains(dot), ab.Contains(dot));
                }
            }

            Assert.True(ab.Includes(a) && ab.Includes(b));
            Assert.Equal(a.Includes(b), Enumerable.Range(1, 10).All(n => CausalityGenerators.Replicas.All(r => !b.Contains(new Dot(r, n)) || a.Contains(new Dot(r, n)))));
        });
}
