using System;
using System.Threading.Tasks;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Tests;

public class CrdtInterlockedTests
{
    private GCounter _counter = GCounter.Empty;
    private ORSet<string> _set = ORSet<string>.Empty;

    [Fact]
    public void Update_ConcurrentIncrements_NoneLost()
    {
        ReplicaId[] replicas = ["a", "b", "c", "d"];
        Parallel.For(0, replicas.Length, t =>
        {
            for (int i = 0; i < 2_000; i++)
            {
                CrdtInterlocked.Update(ref _counter, static (c, r) => c.Increment(r), replicas[t]);
            }
        });
        Assert.Equal(8_000, _counter.Value);
        Assert.All(replicas, r => Assert.Equal(2_000, _counter[r]));
    }

    [Fact]
    public void Merge_ConcurrentMerges_GiveTheJoinOfAll()
    {
        var states = new ORSet<string>[8];
        for (int i = 0; i < states.Length; i++)
        {
            states[i] = ORSet<string>.Empty.Add($"r{i}", $"item{i}").Add($"r{i}", "shared");
        }

        Parallel.For(0, states.Length, i => CrdtInterlocked.Merge(ref _set, states[i]));
        ORSet<string> expected = ORSet<string>.Empty;
        foreach (ORSet<string> state in states)
        {
            expected = expected.Merge(state);
        }

        Assert.Equal(expected, _set);
        Assert.Equal(9, _set.Count);
    }

    [Fact]
    public void Merge_DominatedState_PublishesNothing()
    {
        _counter = GCounter.Empty.Increment("a", 5);
        GCounter before = _counter;
        Assert.False(CrdtInterlocked.Merge(ref _counter, GCounter.Empty.Increment("a", 2)));
        Assert.Same(before, _counter);
        Assert.True(CrdtInterlocked.Merge(ref _counter, GCounter.Empty.Increment("b", 1)));
        Assert.Equal(6, _counter.Value);
    }

    [Fact]
    public void Update_TransformerReturnsNull_ThrowsAndKeepsValue()
    {
        _counter = GCounter.Empty.Increment("a", 1);
        GCounter before = _counter;
        Assert.Throws<ArgumentNullException>(() => CrdtInterlocked.Update(ref _counter, _ => null!));
        Assert.Same(before, _counter);
    }
}
