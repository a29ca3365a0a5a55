using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Replication.Tests.TestTypes;

namespace Sync.Crdt.Replication.Tests;

public class DeltaReplicatorUpdateTests
{
    private static readonly ReplicaId A = new("a");
    private static readonly ReplicatedKey<TestCounter> Hits = new("hits");
    private static readonly ReplicatedKey<MaxRegister> Max = new("max");
    private static readonly ReplicatedKey<GrowSet> Other = new("other");

    [Fact]
    public void Constructor_DefaultReplicaId_Throws() =>
        Assert.Throws<ArgumentException>(() => new DeltaReplicator(default));

    [Fact]
    public void Options_NonPositiveBound_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplicatorOptions(0));

    [Fact]
    public void Key_NullName_Throws_AndEqualityIsByName()
    {
        Assert.Throws<ArgumentNullException>(() => new ReplicatedKey<GrowSet>(null!));
        Assert.Equal(new ReplicatedKey<GrowSet>("k"), new ReplicatedKey<GrowSet>("k"));
        Assert.Equal(new ReplicatedKey<GrowSet>("k").GetHashCode(), new ReplicatedKey<GrowSet>("k").GetHashCode());
        Assert.NotEqual(new ReplicatedKey<GrowSet>("k"), new ReplicatedKey<GrowSet>("K"));
        Assert.Equal("k (GrowSet)", new ReplicatedKey<GrowSet>("k").ToString());
    }

    [Fact]
    public void Define_NewKey_RecordsOneEventAndBuffersIt()
    {
        var replicator = new DeltaReplicator(A);
        replicator.AddPeer("b");

        TestCounter value = replicator.Define(Hits, TestCounter.Empty, out DeltaLogEntry? entry);

        Assert.Same(TestCounter.Empty, value);
        Assert.Equal(1, replicator.Vector[A]);
        Assert.Equal(1, replicator.BufferedDeltaCount);
        Assert.Equal(["hits"], replicator.Keys);
        Assert.NotNull(entry);
        Assert.Equal(VersionVector.Empty, entry.From);
        Assert.Equal(replicator.Vector, entry.To);
        Assert.Same(TestCounter.Empty, Assert.Single(entry.Deltas).Value.BoxedValue);
    }

    [Fact]
    public void Define_ExistingKey_ReturnsCurrentValueWithoutEvent()
    {
        var replicator = new DeltaReplicator(A);
        replicator.Define(Hits, TestCounter.Empty);
        TestCounter after = replicator.Update(Hits, static (c, me, out d) => c.Increment(me, 3, out d));

        TestCounter again = replicator.Define(Hits, TestCounter.Empty, out DeltaLogEntry? entry);

        Assert.Same(after, again);
        Assert.Null(entry);
        Assert.Equal(2, replicator.Vector[A]);
    }

    [Fact]
    public void TwoKeysWithOneNameAndDifferentTypes_SecondUse_ThrowsInvalidOperation()
    {
        var replicator = new DeltaReplicator(A);
        replicator.Define(Hits, TestCounter.Empty);
        var sameName = new ReplicatedKey<MaxRegister>("hits");

        Assert.Throws<InvalidOperationException>(() => replicator.Define(sameName, MaxRegister.Empty));
        Assert.Throws<InvalidOperationException>(() => replicator.Get(sameName));
        Assert.Throws<InvalidOperationException>(() => replicator.TryGet(sameName, out _));
        Assert.Throws<InvalidOperationException>(() => replicator.Update(sameName, static (m, me, out d) => m.Set(1, out d)));
        Assert.Equal(1, replicator.Vector[A]);
    }

    [Fact]
    public void Update_Increment_StoresNewValuePassesOwnIdAndRecordsEvent()
    {
        var replicator = new DeltaReplicator(A);
        replicator.AddPeer("b");
        replicator.Define(Hits, TestCounter.Empty);
        VersionVector before = replicator.Vector;
        ReplicaId seen = default;

        TestCounter result = replicator.Update(
            Hits,
            (c, me, out d) =>
            {
                seen = me;
                return c.Increment(me, 5, out d);
            },
            out DeltaLogEntry? entry);

        Assert.Equal(A, seen);
        Assert.Equal(5, result.Value);
        Assert.Same(result, replicator.Get(Hits));
        Assert.Equal(2, replicator.Vector[A]);
        Assert.Equal(2, replicator.BufferedDeltaCount);
        Assert.NotNull(entry);
        Assert.Same(before, entry.From);
        Assert.Equal(replicator.Vector, entry.To);
        KeyValuePair<string, ReplicatedValue> delta = Assert.Single(entry.Deltas);
        Assert.Equal("hits", delta.Key);
        Assert.Equal(5, ((TestCounter)delta.Value.BoxedValue).Value);
    }

    [Fact]
    public void Update_MutatorReturnsCurrentInstance_RecordsNoEvent()
    {
        var replicator = new DeltaReplicator(A);
        replicator.Define(Max, new MaxRegister(10));
        VersionVector before = replicator.Vector;

        MaxRegister result = replicator.Update(Max, static (m, me, out d) => m.Set(3, out d), out DeltaLogEntry? entry);

        Assert.Same(replicator.Get(Max), result);
        Assert.Same(before, replicator.Vector);
        Assert.Null(entry);
    }

    [Fact]
    public void Update_MutatorThrows_NothingChanges()
    {
        var replicator = new DeltaReplicator(A);
        TestCounter defined = replicator.Define(Hits, TestCounter.Empty);
        VersionVector before = replicator.Vector;

        Assert.Throws<OverflowException>(() => replicator.Update(Hits, static (c, me, out d) => throw new OverflowException()));

        Assert.Same(defined, replicator.Get(Hits));
        Assert.Same(before, replicator.Vector);
    }

    [Fact]
    public void Update_MutatorCallsBackIntoReplicator_Throws()
    {
        var replicator = new DeltaReplicator(A);
        replicator.Define(Hits, TestCounter.Empty);

        Assert.Throws<InvalidOperationException>(() => replicator.Update(Hits, (c, me, out d) =>
        {
            replicator.Define(Other, GrowSet.Empty);
            return c.Increment(me, 1, out d);
        }));
        Assert.False(replicator.TryGet(Other, out _));
    }

    [Fact]
    public void Update_MutatorReturnsNullDelta_ThrowsAndNothingChanges()
    {
        var replicator = new DeltaReplicator(A);
        TestCounter defined = replicator.Define(Hits, TestCounter.Empty);

        Assert.Throws<ArgumentNullException>(() => replicator.Update(Hits, static (c, me, out d) =>
        {
            d = null!;
            return c.Increment(me, 1, out _);
        }));
        Assert.Same(defined, replicator.Get(Hits));
    }

    [Fact]
    public void Update_UndefinedKey_ThrowsKeyNotFound()
    {
        var replicator = new DeltaReplicator(A);

        Assert.Throws<KeyNotFoundException>(() => replicator.Update(Hits, static (c, me, out d) => c.Increment(me, 1, out d)));
    }

    [Fact]
    public void Get_MissingKey_ThrowsKeyNotFound_TryGetReturnsFalse()
    {
        var replicator = new DeltaReplicator(A);

        Assert.Throws<KeyNotFoundException>(() => replicator.Get(Other));
        Assert.False(replicator.TryGet(Other, out GrowSet? value));
        Assert.Null(value);
    }

    [Fact]
    public void NullArguments_Throw()
    {
        var replicator = new DeltaReplicator(A);

        Assert.Throws<ArgumentNullException>(() => replicator.Define(null!, GrowSet.Empty));
        Assert.Throws<ArgumentNullException>(() => replicator.Define(Other, null!));
        Assert.Throws<ArgumentNullException>(() => replicator.Get<GrowSet>(null!));
        Assert.Throws<ArgumentNullException>(() => replicator.Update(Other, null!));
        Assert.Throws<ArgumentNullException>(() => replicator.Receive(null!));
    }

    [Fact]
    public void AddPeer_SelfOrDefault_Throws()
    {
        var replicator = new DeltaReplicator(A);

        Assert.Throws<ArgumentException>(() => replicator.AddPeer(A));
        Assert.Throws<ArgumentException>(() => replicator.AddPeer(default));
        Assert.Throws<ArgumentException>(() => replicator.CreateSyncMessage(A));
        Assert.True(replicator.AddPeer("b"));
        Assert.False(replicator.AddPeer("b"));
        Assert.Equal([new ReplicaId("b")], replicator.Peers);
    }
}
