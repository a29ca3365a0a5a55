using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Sets;
using Sync.Crdt.Tests.Encoding;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Sets;

/// <summary>Reading an <see cref="ORSet{T}"/>'s parts (<c>GetDots</c>, <c>Context</c>) and building it back with <c>Create</c>, as a third-party codec does.</summary>
public class ORSetPartsTests
{
    private static readonly ReplicaId A = "a";
    private static readonly ReplicaId B = "b";

    [Fact]
    public void Create_FromReadParts_EqualsOriginal() =>
        PropertyCheck.ForAll(CrdtGenerators.ORSet, set =>
        {
            List<KeyValuePair<Dot, string>> entries = [.. set.SelectMany(e => set.GetDots(e).Select(d => KeyValuePair.Create(d, e)))];
            entries.Reverse(); // any order is accepted
            EqualityAssert.Equal(set, ORSet<string>.Create(entries, set.Context));
        });

    [Fact]
    public void Create_ConcurrentAdds_KeepsEveryDotOfTheElement()
    {
        ORSet<string> a = ORSet<string>.Empty.Add(A, "x");
        ORSet<string> both = a.Merge(ORSet<string>.Empty.Add(B, "x"));
        Assert.Equal<Dot>([new Dot(A, 1), new Dot(B, 1)], both.GetDots("x"));

        ORSet<string> rebuilt = ORSet<string>.Create([KeyValuePair.Create(new Dot(B, 1), "x"), KeyValuePair.Create(new Dot(A, 1), "x")], both.Context);

        EqualityAssert.Equal(both, rebuilt);
    }

    [Fact]
    public void Create_NoEntriesAndEmptyContext_ReturnsEmpty() =>
        Assert.Same(ORSet<string>.Empty, ORSet<string>.Create([], CausalContext.Empty));

    [Fact]
    public void Create_RemovedElementsLeaveOnlyTheirContext()
    {
        ORSet<string> set = ORSet<string>.Empty.Add(A, "x").Remove("x");

        ORSet<string> rebuilt = ORSet<string>.Create([], set.Context);

        Assert.True(rebuilt.IsEmpty);
        EqualityAssert.Equal(set, rebuilt);
        Assert.False(rebuilt.Merge(ORSet<string>.Empty.Add(A, "x")).Contains("x")); // the context still removes the old add
    }

    [Fact]
    public void Create_InvalidParts_Throw()
    {
        CausalContext context = CausalContext.Create(VersionVector.Create(new Dot(A, 2)));
        Assert.Throws<ArgumentNullException>(() => ORSet<string>.Create(null!, context));
        Assert.Throws<ArgumentNullException>(() => ORSet<string>.Create([], null!));
        Assert.Throws<ArgumentException>(() => ORSet<string>.Create([KeyValuePair.Create(new Dot(A, 1), (string)null!)], context));
        Assert.Throws<ArgumentException>(() => ORSet<string>.Create([KeyValuePair.Create(new Dot(A, 3), "x")], context)); // dot outside the context
        Assert.Throws<ArgumentException>(() => ORSet<string>.Create([KeyValuePair.Create(new Dot(A, 1), "x"), KeyValuePair.Create(new Dot(A, 1), "y")], context)); // one dot, two elements
        Assert.Throws<ArgumentException>(() => ORSet<string>.Create([KeyValuePair.Create(new Dot(A, 1), "x"), KeyValuePair.Create(new Dot(A, 1), "x")], context)); // the same entry twice
        Assert.Throws<ArgumentException>(() => ORSet<string>.Create([KeyValuePair.Create(default(Dot), "x")], context));
    }

    [Fact]
    public void Create_CustomOrder_AndTypeWithoutOrder()
    {
        IComparer<string> reverse = Comparer<string>.Create((x, y) => string.CompareOrdinal(y, x));
        CausalContext context = CausalContext.Create(VersionVector.Create(new Dot(A, 2)));

        ORSet<string> set = ORSet<string>.Create([KeyValuePair.Create(new Dot(A, 1), "x"), KeyValuePair.Create(new Dot(A, 2), "y")], context, reverse);

        Assert.Same(reverse, set.Comparer);
        Assert.Equal(["y", "x"], set.ToArray());
        Assert.Throws<InvalidOperationException>(() => ORSet<Unordered>.Create([], CausalContext.Empty));
    }

    [Fact]
    public void GetDots_AbsentElement_IsEmpty_AndNullThrows()
    {
        ORSet<string> set = ORSet<string>.Empty.Add(A, "x");
        Assert.True(set.GetDots("y").IsEmpty);
        Assert.Throws<ArgumentNullException>(() => set.GetDots(null!));
    }

    [Fact]
    public void Builder_ReturnsWhetherTheSetChanged()
    {
        ORSet<string> other = ORSet<string>.Empty.Add(B, "z");
        ORSet<string>.Builder builder = ORSet<string>.Empty.ToBuilder();

        Assert.False(builder.Clear());
        Assert.True(builder.Add(A, "x"));
        Assert.True(builder.Add(A, "x")); // a repeated add still records a new event
        Assert.False(builder.Remove("y"));
        Assert.True(builder.Merge(other));
        Assert.False(builder.Merge(other));
        Assert.True(builder.Remove("x"));
        Assert.True(builder.Clear());
        Assert.False(builder.Clear());
        Assert.Empty(builder.ToImmutable());
    }

    private sealed record Unordered(int Id);
}
