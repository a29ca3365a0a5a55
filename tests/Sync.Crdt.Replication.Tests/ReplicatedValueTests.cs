using System;
using Sync.Crdt.Replication.Tests.TestTypes;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Replication.Tests;

public class ReplicatedValueTests
{
    [Fact]
    public void Equality_SameTypeEqualValues_EqualWithSameHash() =>
        EqualityAssert.Equal<ReplicatedValue>(ReplicatedValue.Create(new MaxRegister(4)), ReplicatedValue.Create(new MaxRegister(4)));

    [Fact]
    public void Equality_DifferentValuesOrTypes_NotEqual()
    {
        EqualityAssert.NotEqual<ReplicatedValue>(ReplicatedValue.Create(new MaxRegister(4)), ReplicatedValue.Create(new MaxRegister(5)));
        EqualityAssert.NotEqual<ReplicatedValue>(ReplicatedValue.Create(new MaxRegister(0)), ReplicatedValue.Create(GrowSet.Empty));
    }

    [Fact]
    public void Merge_DominatedOther_ReturnsSameInstance()
    {
        ReplicatedValue<MaxRegister> big = ReplicatedValue.Create(new MaxRegister(9));
        ReplicatedValue<MaxRegister> small = ReplicatedValue.Create(new MaxRegister(2));

        Assert.Same(big, big.Merge(small));
        Assert.Same(big, small.Merge(big));
        Assert.Equal(new MaxRegister(9), ((ReplicatedValue<MaxRegister>)small.Merge(big)).Value);
    }

    [Fact]
    public void Create_Null_Throws() =>
        Assert.Throws<ArgumentNullException>(() => ReplicatedValue.Create<MaxRegister>(null!));
}
