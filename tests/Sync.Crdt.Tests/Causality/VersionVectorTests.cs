using System;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Causality;

public class VersionVectorTests
{
    private static readonly ReplicaId A = "a";
    private static readonly ReplicaId B = "b";

    [Fact]
    public void Increment_NewReplica_StartsAtOne()
    {
        VersionVector v = VersionVector.Empty.Increment(A, out Dot dot);
        Assert.Equal(1, v[A]);
        Assert.Equal(0, v[B]);
        Assert.Equal(new Dot(A, 1), dot);
    }

    [Fact]
    public void Compare_DivergedVectors_AreConcurrent()
    {
        VersionVector root = VersionVector.Empty.Increment(A);
        VersionVector left = root.Increment(A);
        VersionVector right = root.Increment(B);
        Assert.Equal(VectorOrdering.Concurrent, left.Compare(right));
        Assert.Equal(VectorOrdering.Before, root.Compare(left));
        Assert.Equal(VectorOrdering.After, left.Compare(root));
        Assert.Equal(VectorOrdering.Equal, left.Compare(root.Increment(A)));
        Assert.True(left.Merge(right).Dominates(left));
        Assert.True(left.Merge(right).Dominates(right));
    }

    [Fact]
    public void Merge_DominatedVector_ReturnsSameInstance()
    {
        VersionVector small = VersionVector.Empty.Increment(A);
        VersionVector big = small.Increment(B);
        Assert.Same(big, big.Merge(small));
        Assert.Same(big, small.Merge(big));
    }

    [Fact]
    public void Increment_CounterAtMaximum_ThrowsAndLeavesVectorUnchanged()
    {
        VersionVector v = VersionVector.Create(new Dot(A, long.MaxValue));
        Assert.Throws<OverflowException>(() => v.Increment(A));
        Assert.Equal(long.MaxValue, v[A]);
    }

    [Fact]
    public void Create_DuplicateReplica_Throws() =>
        Assert.Throws<ArgumentException>(() => VersionVector.Create(new Dot(A, 1), new Dot(A, 2)));

    [Fact]
    public void Increment_DefaultReplica_Throws() =>
        Assert.Throws<ArgumentException>(() => VersionVector.Empty.Increment(default));

    [Fact]
    public void Compare_AgreesWithPointwiseDefinition() =>
        PropertyCheck.ForAll(Gen.Two(CausalityGenerators.Vector), t =>
        {
            (VersionVector a, VersionVector b) = t;
            bool aLeB = true;
            bool bLeA = true;
            foreach (ReplicaId r in CausalityGenerators.Replicas)
            {
                aLeB &= a[r] <= b[r];
                bLeA &= b[r] <= a[r];
            }

            VectorOrdering expected = (aLeB, bLeA) switch
            {
                (true, true) => VectorOrdering.Equal,
                (true, false) => VectorOrdering.Before,
                (false, true) => VectorOrdering.After,
                _ => VectorOrdering.Concurrent,
            };
            Assert.Equal(expected, a.Compare(b));
            Assert.Equal(aLeB && bLeA, a.Equals(b));
            foreach (ReplicaId r in CausalityGenerators.Replicas)
            {
                Assert.Equal(Math.Max(a[r], b[r]), a.Merge(b)[r]);
                Assert.Equal(Math.Min(a[r], b[r]), a.Meet(b)[r]);
            }
        });
}
