using System;
using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Causality;

public class ReplicaIdTests
{
    [Fact]
    public void Constructor_InvalidStrings_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new ReplicaId(null!));
        Assert.Throws<ArgumentException>(() => new ReplicaId(string.Empty));
        Assert.Throws<ArgumentException>(() => new ReplicaId(new string('x', ReplicaId.MaxLength + 1)));
        Assert.Throws<ArgumentException>(() => new ReplicaId("a\uD800"));
        Assert.Throws<ArgumentException>(() => new ReplicaId("\uDC00b"));
    }

    [Fact]
    public void Constructor_MaxLengthAndSurrogatePairs_Accepted()
    {
        Assert.Equal(ReplicaId.MaxLength, new ReplicaId(new string('x', ReplicaId.MaxLength)).Value.Length);
        Assert.Equal("phone-\U0001F4F1", new ReplicaId("phone-\U0001F4F1").Value);
    }

    [Fact]
    public void CompareTo_IsOrdinal_NotCultural()
    {
        // Ordinal: 'B' (0x42) < 'a' (0x61); a culture-aware comparison would put "a" first.
        Assert.True(new ReplicaId("B") < new ReplicaId("a"));
        Assert.True(new ReplicaId("a") < new ReplicaId("aa"));
        Assert.Equal(0, new ReplicaId("node").CompareTo(new ReplicaId("node")));
    }

    [Fact]
    public void Equality_IsStructural()
    {
        EqualityAssert.Equal(new ReplicaId("x"), new ReplicaId(new string('x', 1)));
        EqualityAssert.NotEqual(new ReplicaId("x"), new ReplicaId("X"));
    }

    [Fact]
    public void Default_IsInvalidEverywhere()
    {
        ReplicaId none = default;
        Assert.True(none.IsDefault);
        Assert.Throws<InvalidOperationException>(() => none.Value);
        Assert.Throws<ArgumentException>(() => new Dot(none, 1));
        Assert.Throws<ArgumentException>(() => new LWWTimestamp(1, none));
        Assert.True(none < new ReplicaId("a"));
    }

    [Fact]
    public void TryParse_ReportsValidity()
    {
        Assert.True(ReplicaId.TryParse("ok", out ReplicaId id));
        Assert.Equal("ok", id.Value);
        Assert.False(ReplicaId.TryParse(string.Empty, out id));
        Assert.True(id.IsDefault);
        Assert.False(ReplicaId.TryParse(null, out _));
    }

    [Fact]
    public void NewId_IsFreshEachTime() => Assert.NotEqual(ReplicaId.NewId(), ReplicaId.NewId());
}
