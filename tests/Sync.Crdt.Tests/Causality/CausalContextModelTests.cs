using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Causality;

/// <summary>
/// <see cref="CausalContext"/> against its model, a plain set of dots: every query and update, the canonical
/// (compacted) representation, and the instance-identity rules.
/// </summary>
public class CausalContextModelTests
{
    private static readonly ReplicaId A = "a";
    private static readonly ReplicaId B = "b";

    private static HashSet<Dot> Model(CausalContext context)
    {
        var set = new HashSet<Dot>();
        foreach (ReplicaId r in CausalityGenerators.Replicas)
        {
            for (long c = 1; c <= 12; c++)
            {
                if (context.Contains(new Dot(r, c)))
                {
                    set.Add(new Dot(r, c));
                }
            }
        }

        return set;
    }

    /// <summary>The canonical form of a set of dots: the contiguous prefix per replica, the rest as a sorted cloud.</summary>
    private static void AssertCanonical(HashSet<Dot> model, CausalContext context)
    {
        var cloud = new List<Dot>();
        foreach (ReplicaId r in CausalityGenerators.Replicas)
        {
            long prefix = 0;
            while (model.Contains(new Dot(r, prefix + 1)))
            {
                prefix++;
            }

            Assert.Equal(prefix, context.VersionVector[r]);
            cloud.AddRange(model.Where(d => d.Replica == r && d.Counter > prefix).OrderBy(d => d.Counter));
        }

        Assert.Equal(cloud.OrderBy(d => d).ToArray(), context.DotCloud.ToArray());
        Assert.Equal(cloud.Count == 0, context.IsCompact);
        Assert.Equal(model.Count == 0, context.IsEmpty);
    }

    [Fact]
    public void Create_IsCanonical_AndAgreesWithTheModel() =>
        PropertyCheck.ForAll(Gen.Zip(CausalityGenerators.Vector, Gen.ListOf(CausalityGenerators.SmallDot)), t =>
        {
            (VersionVector vector, IEnumerable<Dot> dots) = t;
            Dot[] cloud = dots.ToArray();
            CausalContext context = CausalContext.Create(vector, cloud);
            var model = new HashSet<Dot>(cloud);
            foreach (Dot entry in vector)
            {
                for (long c = 1; c <= entry.Counter; c++)
                {
                    model.Add(new Dot(entry.Replica, c));
                }
            }

            Assert.True(model.SetEquals(Model(context)));
            AssertCanonical(model, context);
        });

    [Fact]
    public void AddAndNextDot_AgreeWithTheModel() =>
        PropertyCheck.ForAll(Gen.Zip(CausalityGenerators.Context, CausalityGenerators.SmallDot), t =>
        {
            (CausalContext context, Dot dot) = t;
            HashSet<Dot> model = Model(context);
            foreach (ReplicaId r in CausalityGenerators.Replicas)
            {
                long highest = model.Where(d => d.Replica == r).Select(d => d.Counter).DefaultIfEmpty(0).Max();
                Assert.Equal(new Dot(r, highest + 1), context.NextDot(r));
            }

            CausalContext added = context.Add(dot);
            if (model.Contains(dot))
            {
                Assert.Same(context, added);
            }

            model.Add(dot);
            Assert.True(model.SetEquals(Model(added)));
            AssertCanonical(model, added);
        });

    [Fact]
    public void MergeIncludesAndNewWriters_AgreeWithTheModel() =>
        PropertyCheck.ForAll(Gen.Two(CausalityGenerators.Context), t =>
        {
            (CausalContext a, CausalContext b) = t;
            HashSet<Dot> ma = Model(a);
            HashSet<Dot> mb = Model(b);
            Assert.Equal(ma.IsSupersetOf(mb), a.Includes(b));
            Assert.Equal(mb.IsSupersetOf(ma), b.Includes(a));

            CausalContext merged = a.Merge(b);
            var union = new HashSet<Dot>(ma);
            union.UnionWith(mb);
            Assert.True(union.SetEquals(Model(merged)));
            AssertCanonical(union, merged);
            if (ma.IsSupersetOf(mb))
            {
                Assert.Same(a, merged);
            }
            else if (mb.IsSupersetOf(ma))
            {
                Assert.Same(b, merged);
            }

            var writers = new HashSet<ReplicaId>();
            a.CollectNewWriters(b, writers);
            Assert.Equal(ma.Except(mb).Select(d => d.Replica).Distinct().OrderBy(r => r), writers.OrderBy(r => r));
            var all = new HashSet<ReplicaId>();
            a.CollectNewWriters(null, all);
            Assert.Equal(ma.Select(d => d.Replica).Distinct().OrderBy(r => r), all.OrderBy(r => r));

            bool equal = ma.SetEquals(mb);
            Assert.Equal(equal, a.Equals(b));
            Assert.Equal(equal, a.Equals((object)b));
            if (equal)
            {
                Assert.Equal(a.GetHashCode(), b.GetHashCode());
            }
        });

    [Fact]
    public void Merge_OfCompactContexts_ReturnsTheSideThatHoldsEverything()
    {
        CausalContext a2 = CausalContext.Create(VersionVector.Create(new Dot(A, 2)));
        CausalContext a1b1 = CausalContext.Create(VersionVector.Create(new Dot(A, 1), new Dot(B, 1)));
        CausalContext a2b1 = CausalContext.Create(VersionVector.Create(new Dot(A, 2), new Dot(B, 1)));
        Assert.Same(a2b1, a2b1.Merge(a2));
        Assert.Same(a2b1, a2.Merge(a2b1));
        Assert.Same(a2, a2.Merge(a2));
        Assert.Same(a2, a2.Merge(CausalContext.Empty));
        Assert.Same(a2, CausalContext.Empty.Merge(a2));
        CausalContext both = a2.Merge(a1b1);
        EqualityAssert.Equal(a2b1, both);
        Assert.True(both.IsCompact);
    }

    [Fact]
    public void Merge_WithClouds_ReturnsTheIncludingSide()
    {
        CausalContext gap = CausalContext.Create(VersionVector.Create(new Dot(A, 1)), [new Dot(A, 3)]);
        CausalContext more = CausalContext.Create(VersionVector.Create(new Dot(A, 1), new Dot(B, 2)), [new Dot(A, 3), new Dot(A, 5)]);
        Assert.Same(more, gap.Merge(more));
        Assert.Same(more, more.Merge(gap));
        CausalContext filled = gap.Merge(CausalContext.Empty.Add(new Dot(A, 2)));
        Assert.True(filled.IsCompact);
        Assert.Equal(3, filled.VersionVector[A]);
    }

    [Fact]
    public void Includes_ChecksEveryCounterOfAVectorEntryAgainstTheCloud()
    {
        // The other context's vector entry a:4 is covered up to 1 by our vector and 2..4 must all be cloud dots.
        CausalContext other = CausalContext.Create(VersionVector.Create(new Dot(A, 4)));
        CausalContext full = CausalContext.Create(VersionVector.Create(new Dot(A, 1)), [new Dot(A, 3), new Dot(A, 4)]).Add(new Dot(A, 2));
        CausalContext holed = CausalContext.Create(VersionVector.Create(new Dot(A, 1)), [new Dot(A, 2), new Dot(A, 4)]);
        Assert.True(full.Includes(other));
        Assert.False(holed.Includes(other));
        Assert.False(CausalContext.Create(VersionVector.Create(new Dot(B, 9))).Includes(other));
    }

    [Fact]
    public void CollectNewWriters_CountsCloudDotsOfTheKnownContext()
    {
        // known holds a:1 in its vector and a:2, a:3 in its cloud: events 1..3 of a are all known.
        CausalContext known = CausalContext.Create(VersionVector.Create(new Dot(A, 1)), [new Dot(A, 3), new Dot(B, 2)]).Add(new Dot(A, 2));
        CausalContext mine = CausalContext.Create(VersionVector.Create(new Dot(A, 3)));
        var writers = new HashSet<ReplicaId>();
        mine.CollectNewWriters(known, writers);
        Assert.Empty(writers);

        CausalContext partial = CausalContext.Create(VersionVector.Create(new Dot(A, 1)), [new Dot(A, 3)]);
        mine.CollectNewWriters(partial, writers);
        Assert.Equal([A], writers);

        // A cloud dot of a replica beyond the known range (a:5 with a:4 missing everywhere).
        var cloudWriters = new HashSet<ReplicaId>();
        CausalContext.Create(VersionVector.Empty, [new Dot(B, 2)]).CollectNewWriters(known, cloudWriters);
        Assert.Empty(cloudWriters);
        CausalContext.Create(VersionVector.Empty, [new Dot(B, 5)]).CollectNewWriters(known, cloudWriters);
        Assert.Equal([B], cloudWriters);
        Assert.Throws<ArgumentNullException>("writers", () => mine.CollectNewWriters(null, null!));
    }

    [Fact]
    public void Create_ValidatesArguments_AndDropsDuplicatesAndCoveredDots()
    {
        Assert.Throws<ArgumentNullException>("vector", () => CausalContext.Create(null!));
        Assert.Throws<ArgumentNullException>("vector", () => CausalContext.Create(null!, []));
        Assert.Throws<ArgumentNullException>("vector", () => CausalContext.Create(null!, [new Dot(A, 1), new Dot(B, 3)]));
        Assert.Throws<ArgumentNullException>("dots", () => CausalContext.Create(VersionVector.Empty, null!));
        Assert.Throws<ArgumentException>("dots", () => CausalContext.Create(VersionVector.Empty, [new Dot(A, 1), default]));
        Assert.Same(CausalContext.Empty, CausalContext.Create(VersionVector.Empty));
        Assert.Same(CausalContext.Empty, CausalContext.Create(VersionVector.Empty, []));
        CausalContext context = CausalContext.Create(VersionVector.Create(new Dot(A, 2)), [new Dot(A, 5), new Dot(A, 5), new Dot(A, 1), new Dot(B, 3), new Dot(B, 3)]);
        Assert.Equal([new Dot(A, 5), new Dot(B, 3)], context.DotCloud.ToArray());
        Assert.Equal("[a:2] + {a:5, b:3}", context.ToString());
        Assert.Equal("[a:2]", CausalContext.Create(VersionVector.Create(new Dot(A, 2))).ToString());
        Assert.Throws<ArgumentNullException>("other", () => context.Merge(null!));
        Assert.False(context.Equals(null));
        Assert.False(context.Equals((object)context.VersionVector));
        Assert.Throws<ArgumentException>("replica", () => context.NextDot(default));
    }

    [Fact]
    public void Hashes_DistinguishVectorsAndClouds()
    {
        CausalContext[] contexts =
        [
            CausalContext.Create(VersionVector.Create(new Dot(A, 1))),
            CausalContext.Create(VersionVector.Create(new Dot(A, 2))),
            CausalContext.Create(VersionVector.Create(new Dot(A, 1)), [new Dot(B, 3)]),
            CausalContext.Create(VersionVector.Create(new Dot(A, 2)), [new Dot(B, 3)]),
            CausalContext.Create(VersionVector.Create(new Dot(A, 1)), [new Dot(B, 4)]),
            CausalContext.Create(VersionVector.Create(new Dot(A, 1)), [new Dot(B, 3), new Dot(B, 5)]),
        ];
        Assert.Equal(contexts.Length, contexts.Select(c => c.GetHashCode()).Distinct().Count());
    }

    [Fact]
    public void NextDot_AtTheLastCounter_Throws()
    {
        CausalContext context = CausalContext.Create(VersionVector.Create(new Dot(A, long.MaxValue)));
        Assert.Throws<OverflowException>(() => context.NextDot(A));
    }

    [Fact]
    public void Add_ContiguousToACompactContext_StaysCompact_AndAGapGoesToTheCloud()
    {
        CausalContext context = CausalContext.Empty.Add(new Dot(A, 1)).Add(new Dot(A, 2));
        Assert.True(context.IsCompact);
        Assert.Equal(2, context.VersionVector[A]);
        CausalContext gapped = context.Add(new Dot(A, 4)).Add(new Dot(B, 3)).Add(new Dot(A, 6));
        Assert.Equal([new Dot(A, 4), new Dot(A, 6), new Dot(B, 3)], gapped.DotCloud.ToArray());
        CausalContext closed = gapped.Add(new Dot(A, 3));
        Assert.Equal(4, closed.VersionVector[A]);
        Assert.Equal([new Dot(A, 6), new Dot(B, 3)], closed.DotCloud.ToArray());
    }
}
