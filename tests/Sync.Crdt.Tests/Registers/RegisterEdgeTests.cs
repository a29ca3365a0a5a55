using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Registers;

namespace Sync.Crdt.Tests.Registers;

/// <summary>Argument checks, writer attribution, instance identity and hashing of both registers.</summary>
public class RegisterEdgeTests
{
    private static readonly ReplicaId A = "a";
    private static readonly ReplicaId B = "b";

    /// <summary>A value type with no order: two different values under one timestamp cannot be tie-broken.</summary>
    private sealed record Unordered(int Value);

    [Fact]
    public void CreateCodec_NullOptions_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => CodecOf<LWWRegister<string>>(null!));
        Assert.Throws<ArgumentNullException>(() => CodecOf<MVRegister<string>>(null!));
        Assert.NotNull(CodecOf<LWWRegister<string>>(new CrdtSerializerOptions()));
        Assert.NotNull(CodecOf<MVRegister<string>>(new CrdtSerializerOptions()));
    }

    [Fact]
    public void Set_DefaultReplica_ThrowsNamingTheReplica()
    {
        Assert.Throws<ArgumentException>("replica", () => LWWRegister<string>.Empty.Set(default, "x", new LamportClock()));
        Assert.Throws<ArgumentException>("replica", () => MVRegister<string>.Empty.Set(default, "x"));
        Assert.Throws<ArgumentNullException>("entries", () => MVRegister<string>.Create(null!, CausalContext.Empty));
    }

    [Fact]
    public void LwwMerge_SameTimestampOfAnUnorderedType_KeepsThisSideInsteadOfThrowing()
    {
        // Only invalid input (two writers reusing one timestamp) reaches this case; a merge must still never throw.
        var stamp = new LWWTimestamp(5, A);
        LWWRegister<Unordered> left = LWWRegister<Unordered>.Create(stamp, new Unordered(1));
        LWWRegister<Unordered> right = LWWRegister<Unordered>.Create(stamp, new Unordered(2));
        Assert.Same(left, left.Merge(right));
        Assert.Same(right, right.Merge(left));
    }

    [Fact]
    public void LwwMerge_SameTimestampStrings_BreakTheTieOrdinally()
    {
        // Ordinal order puts "B" (0x42) before "a" (0x61); a culture-aware order would put "a" first. Every replica
        // must pick the same winner whatever its culture. (The test process runs with invariant globalization, where a
        // culture order is ordinal too, so this pins the rule for apps with ICU rather than catching a regression here.)
        var stamp = new LWWTimestamp(5, A);
        LWWRegister<string> lower = LWWRegister<string>.Create(stamp, "a");
        LWWRegister<string> upper = LWWRegister<string>.Create(stamp, "B");
        Assert.Same(lower, lower.Merge(upper));
        Assert.Same(lower, upper.Merge(lower));
    }

    [Fact]
    public void LwwCollectNewWriters_AddsTheWriterOnlyWhenItsWriteWins()
    {
        LWWRegister<string> old = LWWRegister<string>.Create(new LWWTimestamp(1, A), "old");
        LWWRegister<string> newer = LWWRegister<string>.Create(new LWWTimestamp(2, B), "new");
        var writers = new HashSet<ReplicaId>();
        newer.CollectNewWriters(old, writers);
        Assert.Equal([B], writers);

        writers.Clear();
        old.CollectNewWriters(newer, writers);
        newer.CollectNewWriters(newer, writers);
        LWWRegister<string>.Empty.CollectNewWriters(null, writers);
        Assert.Empty(writers);

        old.CollectNewWriters(null, writers);
        Assert.Equal([A], writers);
        Assert.Throws<ArgumentNullException>("writers", () => old.CollectNewWriters(null, null!));
    }

    [Fact]
    public void MvCollectNewWriters_AddsUnknownWritesAndRewrittenSiblings()
    {
        MVRegister<string> a1 = MVRegister<string>.Empty.Set(A, "x");
        MVRegister<string> both = a1.Merge(MVRegister<string>.Empty.Set(B, "y"));
        var writers = new HashSet<ReplicaId>();
        both.CollectNewWriters(a1, writers);
        Assert.Equal([B], writers);

        writers.Clear();
        a1.CollectNewWriters(both, writers);
        Assert.Empty(writers);
        both.CollectNewWriters(null, writers);
        Assert.Equal([A, B], writers.OrderBy(r => r));

        // The same dot with a different value: a forged rewrite of a's write is attributed to a.
        MVRegister<string> forged = MVRegister<string>.Create([new(new Dot(A, 1), "forged")], CausalContext.Create(VersionVector.Create(new Dot(A, 1))));
        writers.Clear();
        forged.CollectNewWriters(a1, writers);
        Assert.Equal([A], writers);
        writers.Clear();
        a1.CollectNewWriters(a1, writers);
        Assert.Empty(writers);
        Assert.Throws<ArgumentNullException>("writers", () => a1.CollectNewWriters(null, null!));
    }

    [Fact]
    public void MvMerge_ReturnsTheSideThatIncludesTheOther_WithSharedSiblings()
    {
        // other = this plus a concurrent sibling of b: both keep a's sibling, other is the answer as is.
        MVRegister<string> mine = MVRegister<string>.Empty.Set(A, "x");
        MVRegister<string> theirs = mine.Merge(MVRegister<string>.Empty.Set(B, "y"));
        Assert.Same(theirs, mine.Merge(theirs));
        Assert.Same(theirs, theirs.Merge(mine));
        Assert.Same(mine, mine.Merge(mine));

        // A later write replaces both siblings: the result is the writer's state.
        MVRegister<string> overwritten = theirs.Set(A, "z");
        Assert.Same(overwritten, theirs.Merge(overwritten));
        Assert.Same(overwritten, overwritten.Merge(theirs));
        Assert.Equal(new[] { "z" }, overwritten.Values.ToArray());
    }

    [Fact]
    public void Hashes_DistinguishValuesTimestampsSiblingsAndContexts()
    {
        var lww = new List<LWWRegister<string?>>
        {
            LWWRegister<string?>.Create(new LWWTimestamp(1, A), "x"),
            LWWRegister<string?>.Create(new LWWTimestamp(1, A), "y"),
            LWWRegister<string?>.Create(new LWWTimestamp(2, A), "x"),
            LWWRegister<string?>.Create(new LWWTimestamp(1, B), "x"),
            LWWRegister<string?>.Create(new LWWTimestamp(1, A), null),
        };
        Assert.Equal(lww.Count, lww.Select(r => r.GetHashCode()).Distinct().Count());
        Assert.Equal(lww[4].GetHashCode(), LWWRegister<string?>.Create(new LWWTimestamp(1, A), null).GetHashCode());

        CausalContext a1 = CausalContext.Create(VersionVector.Create(new Dot(A, 1)));
        CausalContext a1b1 = CausalContext.Create(VersionVector.Create(new Dot(A, 1), new Dot(B, 1)));
        var mv = new List<MVRegister<string>>
        {
            MVRegister<string>.Create([new(new Dot(A, 1), "x")], a1),
            MVRegister<string>.Create([new(new Dot(A, 1), "y")], a1),
            MVRegister<string>.Create([new(new Dot(A, 1), "x")], a1b1),
            MVRegister<string>.Create([new(new Dot(B, 1), "x")], a1b1),
            MVRegister<string>.Create([new(new Dot(A, 1), "x"), new(new Dot(B, 1), "x")], a1b1),
            MVRegister<string>.Create([], a1b1),
        };
        Assert.Equal(mv.Count, mv.Select(r => r.GetHashCode()).Distinct().Count());
    }

    [Fact]
    public void MvToString_ListsSiblingsAndContext()
    {
        MVRegister<string> register = MVRegister<string>.Empty.Set(A, "x").Merge(MVRegister<string>.Empty.Set(B, "y"));
        Assert.Equal("{x@a:1, y@b:1} ctx [a:1, b:1]", register.ToString());
        Assert.Equal("{} ctx []", MVRegister<string>.Empty.ToString());
    }

    private static ICrdtValueCodec<T> CodecOf<T>(CrdtSerializerOptions options)
        where T : class, ICrdt<T> => T.CreateCodec(options);
}
