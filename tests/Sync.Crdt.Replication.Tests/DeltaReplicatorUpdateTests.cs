using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Replication.Tests.TestTypes;

namespace Sync.Crdt.Replication.Tests;

public class DeltaReplicatorUpdateTests
{
    private static readonly ReplicaId A = new("a");

    [Fact]
    public void Constructor_DefaultReplicaId_Throws() =>
        Assert.Throws<ArgumentException>(() => new DeltaReplicator(default));

    [Fact]
    public void Options_NonPositiveBound_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicatorOptions(0));

    [Fact]
    public void Define_NewKey_RecordsOneEventAndBuffersIt()
    {
        var replicator = new DeltaReplicator(A);
        replicator.AddPeer("b");

        TestCounter value = replicator.Define("hits", TestCounter.Empty);

        Assert.Same(TestCounter.Empty, value);
        Assert.Equal(1, replicator.Vector[A]);
        Assert.Equal(1, replicator.BufferedDeltaCount);
        Assert.Equal(["hits"], replicator.Keys);
    }

    [Fact]
    public void Define_ExistingKey_ReturnsCurrentValueWithoutEvent()
    {
        var replicator = new DeltaReplicator(A);
        replicator.Define("hits", TestCounter.Empty);
        TestCounter after = replicator.Update("hits", (TestCounter c, ReplicaId me, out TestCounter d) => c.Increment(me, 3, out d));

        TestCounter again = replicator.Define("hits", TestCounter.Empty);

        Assert.Same(after, again);
        Assert.Equal(2, replicator.Vector[A]);
    }

    [Fact]
    public void Define_ExistingKeyOfAnotherType_Throws()
    {
        var replicator = new DeltaReplicator(A);
        replicator.Define("hits", TestCounter.Empty);

        Assert.Throws<InvalidOperationException>(() => replicator.Define("hits", MaxRegister.Empty));
    }

    [Fact]
    public void Update_Increment_StoresNewValuePassesOwnIdAndRecordsEvent()
    {
        var replicator = new DeltaReplicator(A);
        replicator.AddPeer("b");
        replicator.Define("hits", TestCounter.Empty);
        ReplicaId seen = default;

        TestCounter result = replicator.Update("hits", (TestCounter c, ReplicaId me, out TestCounter d) =>
        {
            seen = me;
            return c.Increment(me, 5, out d);
        });

        Assert.Equal(A, seen);
        Assert.Equal(5, result.Value);
        Assert.Same(result, replicator.Get<TestCounter>("hits"));
        Assert.Equal(2, replicator.Vector[A]);
        Assert.Equal(2, replicator.BufferedDeltaCount);
    }

    [Fact]
    public void Update_MutatorReturnsCurrentInstance_RecordsNoEvent()
    {
        var replicator = new DeltaReplicator(A);
        replicator.Define("max", new MaxRegister(10));
        VersionVector before = replicator.Vector;

        MaxRegister result = replicator.Update("max", (MaxRegister m, ReplicaId me, out MaxRegister d) => m.Set(3, out d));

        Assert.Same(replicator.Get<MaxRegister>("max"), result);
        Assert.Same(before, replicator.Vector);
    }

    [Fact]
    public void Update_MutatorThrows_NothingChanges()
    {
        var replicator = new DeltaReplicator(A);
        TestCounter defined = replicator.Define("hits", TestCounter.Empty);
        VersionVector before = replicator.Vector;

        Assert.Throws<OverflowException>(() => replicator.Update("hits", (TestCounter c, ReplicaId me, out TestCounter d) => throw new OverflowException()));

        Assert.Same(defined, replicator.Get<TestCounter>("hits"));
        Assert.Same(before, replicator.Vector);
    }

    [Fact]
    public void Update_MutatorCallsBackIntoReplicator_Throws()
    {
        var replicator = new DeltaReplicator(A);
        replicator.Define("hits", TestCounter.Empty);

        Assert.Throws<InvalidOperationException>(() => replicator.Update("hits", (TestCounter c, ReplicaId me, out TestCounter d) =>
        {
            replicator.Define("other", GrowSet.Empty);
            return c.Increment(me, 1, out d);
        }));
        Assert.False(replicator.TryGet<GrowSet>("other", out _));
    }

    [Fact]
    public void Update_MutatorReturnsNullDelta_ThrowsAndNothingChanges()
    {
        var replicator = new DeltaReplicator(A);
        TestCounter defined = replicator.Define("hits", TestCounter.Empty);

        Assert.Throws<ArgumentNullException>(() => replicator.Update("hits", (TestCounter c, ReplicaId me, out TestCounter d) =>
        {
            d = null!;
            return c.Increment(me, 1, out _);
        }));
        Assert.Same(defined, replicator.Get<TestCounter>("hits"));
    }

    [Fact]
    public void Update_UndefinedKey_ThrowsKeyNotFound()
    {
        var replicator = new DeltaReplicator(A);

        Assert.Throws<KeyNotFoundException>(() => replicator.Update("nope", (TestCounter c, ReplicaId me, out TestCounter d) => c.Increment(me, 1, out d)));
    }

    [Fact]
    public void Get_WrongType_ThrowsInvalidOperation()
    {
        var replicator = new DeltaReplicator(A);
        replicator.Define("hits", TestCounter.Empty);

        Assert.Throws<InvalidOperationException>(() => replicator.Get<GrowSet>("hits"));
        Assert.Throws<KeyNotFoundException>(() => replicator.Get<GrowSet>("missing"));
        Assert.False(replicator.TryGet<GrowSet>("missing", out _));
    }

    [Fact]
    public void AddPeer_SelfOrDefault_Throws()
    {
        var replicator = new DeltaReplicator(A);

        Assert.Throws<ArgumentException>(() => replicator.AddPeer(A));
        Assert.Throws<ArgumentException>(() => replicator.AddPeer(default));
        Assert.True(replicator.AddPeer("b"));
        Assert.False(replicator.AddPeer("b"));
        Assert.Equal([new ReplicaId("b")], replicator.Peers);
    }
}
