using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Causality;

/// <summary>
/// Every public and internal operation of <see cref="VersionVector"/> against a plain model (replica → counter,
/// absent = 0), plus the instance-identity rules the merge paths promise.
/// </summary>
public class VersionVectorModelTests
{
    private static readonly ReplicaId A = "a";
    private static readonly ReplicaId B = "b";
    private static readonly ReplicaId C = "c";

    private static Dictionary<ReplicaId, long> Model(VersionVector v) =>
        CausalityGenerators.Replicas.Where(r => v[r] > 0).ToDictionary(r => r, r => v[r]);

    [Fact]
    public void Queries_AgreeWithTheModel() =>
        PropertyCheck.ForAll(Gen.Two(CausalityGenerators.Vector), t =>
        {
            (VersionVector a, VersionVector b) = t;
            Dictionary<ReplicaId, long> model = Model(a);
            Assert.Equal(model.Count, a.Count);
            Assert.Equal(model.Count == 0, a.IsEmpty);

            // Enumeration: one latest dot per replica, in replica order; Reset restarts.
            Dot[] expected = model.OrderBy(e => e.Key).Select(e => new Dot(e.Key, e.Value)).ToArray();
            Assert.Equal(expected, a.ToArray());
            VersionVector.Enumerator enumerator = a.GetEnumerator();
            while (enumerator.MoveNext())
            {
            }

            enumerator.Reset();
            Assert.Equal(expected.Length > 0, enumerator.MoveNext());
            if (expected.Length > 0)
            {
                Assert.Equal(expected[0], enumerator.Current);
            }

            Assert.Equal("[" + string.Join(", ", expected.Select(d => d.ToString())) + "]", a.ToString());

            foreach (ReplicaId r in CausalityGenerators.Replicas)
            {
                for (long c = 1; c <= 7; c++)
                {
                    Assert.Equal(c <= a[r], a.Contains(new Dot(r, c)));
                }
            }

            // New writers: replicas whose counter here exceeds the other's; null means empty.
            var writers = new HashSet<ReplicaId>();
            a.CollectNewWriters(b, writers);
            Assert.Equal(model.Keys.Where(r => a[r] > b[r]).OrderBy(r => r), writers.OrderBy(r => r));
            var all = new HashSet<ReplicaId>();
            a.CollectNewWriters(null, all);
            Assert.Equal(model.Keys.OrderBy(r => r), all.OrderBy(r => r));

            // Equality is structural; hashes agree.
            bool equal = CausalityGenerators.Replicas.All(r => a[r] == b[r]);
            Assert.Equal(equal, a.Equals(b));
            Assert.Equal(equal, a.Equals((object)b));
            if (equal)
            {
                Assert.Equal(a.GetHashCode(), b.GetHashCode());
            }
        });

    [Fact]
    public void Updates_AgreeWithTheModel() =>
        PropertyCheck.ForAll(Gen.Zip(CausalityGenerators.Vector, Gen.Zip(CausalityGenerators.Replica, Gen.Choose(1, 9))), t =>
        {
            (VersionVector v, (ReplicaId r, int counter)) = t;
            VersionVector incremented = v.Increment(r, out Dot dot);
            Assert.Equal(new Dot(r, v[r] + 1), dot);
            Assert.Equal(v[r] + 1, incremented[r]);
            VersionVector advanced = v.Advance(r, counter);
            Assert.Equal(Math.Max(v[r], counter), advanced[r]);
            VersionVector without = v.Without(r);
            Assert.Equal(0, without[r]);
            foreach (ReplicaId other in CausalityGenerators.Replicas.Where(o => o != r))
            {
                Assert.Equal(v[other], incremented[other]);
                Assert.Equal(v[other], advanced[other]);
                Assert.Equal(v[other], without[other]);
            }

            Assert.Equal(v[r] > 0 ? v.Count - 1 : v.Count, without.Count);
            if (v[r] >= counter)
            {
                Assert.Same(v, advanced);
            }

            if (v[r] == 0)
            {
                Assert.Same(v, without);
            }
        });

    [Fact]
    public void MergeAndMeet_ReturnTheDominatingOrDominatedInstance() =>
        PropertyCheck.ForAll(Gen.Two(CausalityGenerators.Vector), t =>
        {
            (VersionVector a, VersionVector b) = t;
            VersionVector join = a.Merge(b);
            VersionVector meet = a.Meet(b);
            switch (a.Compare(b))
            {
                case VectorOrdering.Equal:
                case VectorOrdering.After:
                    Assert.Same(a, join);
                    break;
                case VectorOrdering.Before:
                    Assert.Same(b, join);
                    break;
            }

            switch (a.Compare(b))
            {
                case VectorOrdering.Equal:
                case VectorOrdering.Before:
                    Assert.Same(a, meet);
                    break;
                case VectorOrdering.After:
                    Assert.Same(b, meet);
                    break;
            }

            Assert.Equal(a.Compare(b) is VectorOrdering.After or VectorOrdering.Equal, a.Dominates(b));
            Assert.Equal(a.Compare(b) == VectorOrdering.Concurrent, a.IsConcurrentWith(b));
            Assert.Equal(CausalityGenerators.Replicas.Count(r => Math.Max(a[r], b[r]) > 0), join.Count);
            Assert.Equal(CausalityGenerators.Replicas.Count(r => Math.Min(a[r], b[r]) > 0), meet.Count);
        });

    [Theory]
    [InlineData("a")]
    [InlineData("c")]
    [InlineData("e")]
    public void SingleReplicaVector_LooksUpAndInsertsOnBothSides(string replica)
    {
        // One-entry vectors take a shortcut around the binary search: the probed replica may sort before, at or
        // after the stored one, and an insert must land on the right side.
        VersionVector single = VersionVector.Create(new Dot(C, 4));
        ReplicaId r = replica;
        long expected = r == C ? 4 : 0;
        Assert.Equal(expected, single[r]);
        VersionVector next = single.Increment(r);
        Assert.Equal(expected + 1, next[r]);
        Assert.Equal(r == C ? 5 : 4, next[C]);
        Assert.Equal(next.OrderBy(d => d.Replica).ToArray(), next.ToArray());
    }

    [Fact]
    public void Create_RejectsDefaultDots_AcceptsAnyOrder_AndEmptyIsTheSingleton()
    {
        Assert.Throws<ArgumentNullException>("entries", () => VersionVector.Create((IEnumerable<Dot>)null!));
        Assert.Throws<ArgumentException>("entries", () => VersionVector.Create(new Dot(A, 1), default));
        Assert.Throws<ArgumentException>("entries", () => VersionVector.Create(new Dot(B, 1), new Dot(A, 2), new Dot(B, 3)));
        Assert.Same(VersionVector.Empty, VersionVector.Create());
        Assert.Same(VersionVector.Empty, VersionVector.Create(Array.Empty<Dot>().AsEnumerable()));
        VersionVector v = VersionVector.Create(new Dot(C, 3), new Dot(A, 1), new Dot(B, 2));
        Assert.Equal([new Dot(A, 1), new Dot(B, 2), new Dot(C, 3)], v.ToArray());
    }

    [Fact]
    public void Arguments_AreValidated()
    {
        VersionVector v = VersionVector.Create(new Dot(A, 2));
        Assert.Throws<ArgumentException>("replica", () => v.Advance(default, 1));
        Assert.Throws<ArgumentOutOfRangeException>("counter", () => v.Advance(A, 0));
        Assert.Same(v, v.Advance(A, 1));
        Assert.Equal(2, v.Advance(A, 2)[A]);
        Assert.Throws<ArgumentNullException>("writers", () => v.CollectNewWriters(null, null!));
        Assert.Throws<ArgumentNullException>("other", () => v.Merge(null!));
        Assert.Throws<ArgumentNullException>("other", () => v.Meet(null!));
        Assert.Throws<ArgumentNullException>("other", () => v.Compare(null!));
        Assert.False(v.Equals(null));
        Assert.False(v.Equals((object)"a:2"));
        Assert.Equal(VectorOrdering.Equal, v.Compare(v));
    }

    [Fact]
    public void Without_LastEntry_IsEmpty_AndMiddleEntryKeepsTheOthersInOrder()
    {
        Assert.Same(VersionVector.Empty, VersionVector.Create(new Dot(A, 3)).Without(A));
        VersionVector v = VersionVector.Create(new Dot(A, 1), new Dot(B, 2), new Dot(C, 3));
        Assert.Equal([new Dot(A, 1), new Dot(C, 3)], v.Without(B).ToArray());
        Assert.Equal([new Dot(B, 2), new Dot(C, 3)], v.Without(A).ToArray());
        Assert.Equal([new Dot(A, 1), new Dot(B, 2)], v.Without(C).ToArray());
        EqualityAssert.Equal(VersionVector.Create(new Dot(A, 1), new Dot(C, 3)), v.Without(B));
    }

    [Fact]
    public void Hashes_DistinguishReplicasAndCounters()
    {
        VersionVector[] vectors =
        [
            VersionVector.Create(new Dot(A, 1)),
            VersionVector.Create(new Dot(A, 2)),
            VersionVector.Create(new Dot(B, 1)),
            VersionVector.Create(new Dot(A, 1), new Dot(B, 1)),
            VersionVector.Create(new Dot(A, 1), new Dot(C, 1)),
            VersionVector.Create(new Dot(A, 2), new Dot(B, 1)),
        ];
        Assert.Equal(vectors.Length, vectors.Select(v => v.GetHashCode()).Distinct().Count());
    }

    [Fact]
    public void Meet_OfDisjointVectors_IsTheEmptySingleton() =>
        Assert.Same(VersionVector.Empty, VersionVector.Create(new Dot(A, 1)).Meet(VersionVector.Create(new Dot(B, 1))));

    [Fact]
    public void Combine_WithDisjointAndOverlappingReplicas_KeepsEveryEntry()
    {
        // Concurrent vectors whose result is exactly one side's replicas (shared array) or neither side's.
        VersionVector ab = VersionVector.Create(new Dot(A, 3), new Dot(B, 1));
        VersionVector b = VersionVector.Create(new Dot(B, 2));
        VersionVector c = VersionVector.Create(new Dot(C, 1));
        Assert.Equal([new Dot(A, 3), new Dot(B, 2)], ab.Merge(b).ToArray());
        Assert.Equal([new Dot(A, 3), new Dot(B, 2)], b.Merge(ab).ToArray());
        Assert.Equal([new Dot(B, 1)], ab.Meet(b).ToArray());
        Assert.Equal([new Dot(A, 3), new Dot(B, 1), new Dot(C, 1)], ab.Merge(c).ToArray());
        Assert.Equal([new Dot(A, 3), new Dot(B, 1), new Dot(C, 1)], c.Merge(ab).ToArray());
        Assert.True(ab.Meet(c).IsEmpty);

        // The shared replica array of the left side must not be written through.
        VersionVector merged = ab.Merge(b);
        Assert.Equal([new Dot(A, 3), new Dot(B, 1)], ab.ToArray());
        Assert.Equal(2, merged[B]);
    }
}
