using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Registers;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Registers;

public class MVRegisterTests
{
    private static readonly ReplicaId A = "a";
    private static readonly ReplicaId B = "b";
    private static readonly ReplicaId C = "c";

    [Fact]
    public void Set_Sequentially_KeepsOnlyTheLatestValue()
    {
        MVRegister<string> register = MVRegister<string>.Empty.Set(A, "x").Set(A, "y").Set(B, "z");

        Assert.Equal(["z"], register.Values.ToArray());
        Assert.Equal([new Dot(B, 1)], register.Dots.ToArray());
        Assert.False(register.HasConflict);
        Assert.Equal(2, register.Context.VersionVector[A]);
    }

    [Fact]
    public void Merge_ConcurrentWrites_KeepsBothSiblingsInDotOrder()
    {
        // The Dynamo shopping cart: two replicas write concurrently; both versions survive, in the same order everywhere.
        MVRegister<string> fromB = MVRegister<string>.Empty.Set(B, "cart+book");
        MVRegister<string> fromA = MVRegister<string>.Empty.Set(A, "cart+pen");

        MVRegister<string> ab = fromA.Merge(fromB);
        MVRegister<string> ba = fromB.Merge(fromA);

        Assert.Equal(["cart+pen", "cart+book"], ab.Values.ToArray());
        Assert.Equal([new Dot(A, 1), new Dot(B, 1)], ab.Dots.ToArray());
        Assert.True(ab.HasConflict);
        EqualityAssert.Equal(ab, ba);
    }

    [Fact]
    public void Set_AfterSeeingSiblings_ReplacesThemEverywhere()
    {
        MVRegister<string> siblings = MVRegister<string>.Empty.Set(A, "x").Merge(MVRegister<string>.Empty.Set(B, "y"));
        MVRegister<string> resolved = siblings.Set(C, "x+y");

        Assert.Equal(["x+y"], resolved.Values.ToArray());
        Assert.Same(resolved, resolved.Merge(siblings));
        Assert.Same(resolved, siblings.Merge(resolved));
    }

    [Fact]
    public void Merge_WriteConcurrentWithResolution_Survives()
    {
        MVRegister<string> siblings = MVRegister<string>.Empty.Set(A, "x").Merge(MVRegister<string>.Empty.Set(B, "y"));
        MVRegister<string> resolved = siblings.Set(C, "x+y");
        MVRegister<string> concurrent = siblings.Set(A, "z");

        Assert.Equal(["z", "x+y"], resolved.Merge(concurrent).Values.ToArray());
        EqualityAssert.Equal(resolved.Merge(concurrent), concurrent.Merge(resolved));
    }

    [Fact]
    public void Clear_RemovesSeenValues_ConcurrentWriteSurvives_AndClearsAgainAreNoOps()
    {
        MVRegister<string> shared = MVRegister<string>.Empty.Set(A, "x");
        MVRegister<string> cleared = shared.Clear(out MVRegister<string> delta);
        MVRegister<string> concurrent = shared.Merge(MVRegister<string>.Empty.Set(B, "y"));

        Assert.True(cleared.IsEmpty);
        Assert.Same(cleared, cleared.Clear(out MVRegister<string> noDelta));
        Assert.Same(MVRegister<string>.Empty, noDelta);
        Assert.True(delta.IsEmpty);
        Assert.True(delta.Context.Contains(new Dot(A, 1)));
        Assert.Equal(["y"], cleared.Merge(concurrent).Values.ToArray());
        Assert.Equal(["y"], concurrent.Merge(delta).Values.ToArray());
        Assert.Same(cleared, cleared.Merge(shared));
    }

    [Fact]
    public void Set_Delta_CarriesTheNewEntryAndOnlyTheReplacedDots()
    {
        MVRegister<string> history = MVRegister<string>.Empty.Set(A, "1").Set(A, "2").Set(A, "3");
        MVRegister<string> siblings = history.Merge(MVRegister<string>.Empty.Set(B, "y"));

        MVRegister<string> result = siblings.Set(C, "z", out MVRegister<string> delta);

        Assert.Equal(["z"], delta.Values.ToArray());
        Assert.Equal([new Dot(C, 1)], delta.Dots.ToArray());
        Assert.True(delta.Context.Contains(new Dot(A, 3)));
        Assert.True(delta.Context.Contains(new Dot(B, 1)));
        Assert.True(delta.Context.Contains(new Dot(C, 1)));
        Assert.False(delta.Context.Contains(new Dot(A, 1)));
        EqualityAssert.Equal(result, siblings.Merge(delta));
    }

    [Fact]
    public void Merge_IncludedState_ReturnsSameInstance()
    {
        MVRegister<int> older = MVRegister<int>.Empty.Set(A, 1);
        MVRegister<int> newer = older.Set(B, 2);

        Assert.Same(newer, newer.Merge(older));
        Assert.Same(newer, older.Merge(newer));
        Assert.Same(newer, newer.Merge(MVRegister<int>.Empty));
        Assert.Same(newer, MVRegister<int>.Empty.Merge(newer));
        Assert.Same(newer, newer.Merge(MVRegister<int>.Empty.Set(A, 1).Set(B, 2)));
    }

    [Fact]
    public void Create_ValidatesEntriesAgainstContext()
    {
        CausalContext context = CausalContext.Create(VersionVector.Create(new Dot(A, 2), new Dot(B, 1)));
        var register = MVRegister<string>.Create([new(new Dot(B, 1), "y"), new(new Dot(A, 2), "x")], context);

        Assert.Equal(["x", "y"], register.Values.ToArray());
        Assert.Throws<ArgumentException>(() => MVRegister<string>.Create([new(new Dot(C, 1), "z")], context));
        Assert.Throws<ArgumentException>(() => MVRegister<string>.Create([new(new Dot(A, 2), "x"), new(new Dot(A, 2), "x")], context));
        Assert.Throws<ArgumentException>(() => MVRegister<string>.Create([new(default, "x")], context));
        Assert.Throws<ArgumentNullException>(() => MVRegister<string>.Create(null!, context));
        Assert.Throws<ArgumentNullException>(() => MVRegister<string>.Create([], null!));
        Assert.Same(MVRegister<string>.Empty, MVRegister<string>.Create([], CausalContext.Empty));
    }

    [Fact]
    public void Mutators_BadArguments_ThrowAndLeaveStateUntouched()
    {
        MVRegister<string> register = MVRegister<string>.Empty.Set(A, "x");

        Assert.Equal("replica", Assert.Throws<ArgumentException>(() => register.Set(default, "y")).ParamName);
        Assert.Equal("replica", Assert.Throws<ArgumentException>(() => register.Set(default, "y", out _)).ParamName);
        Assert.Throws<ArgumentNullException>(() => register.Merge(null!));
        EqualityAssert.Equal(MVRegister<string>.Empty.Set(A, "x"), register);
    }

    [Fact]
    public void Equals_SameEntriesAndContext_Equal_OtherwiseNotEqual()
    {
        MVRegister<string> x = MVRegister<string>.Empty.Set(A, "v");

        EqualityAssert.Equal(x, MVRegister<string>.Empty.Set(A, "v"));
        EqualityAssert.NotEqual(x, MVRegister<string>.Empty.Set(A, "w"));
        EqualityAssert.NotEqual(x, MVRegister<string>.Empty.Set(B, "v"));
        EqualityAssert.NotEqual(x.Clear(), MVRegister<string>.Empty);
        Assert.Equal("{v@a:1} ctx [a:1]", x.ToString());
    }

    private static void AssertHolds(List<(Dot Dot, int Value)> expected, MVRegister<int> register)
    {
        Assert.Equal(expected.Select(e => e.Dot), register.Dots.ToArray());
        Assert.Equal(expected.Select(e => e.Value), register.Values.ToArray());
    }
}
