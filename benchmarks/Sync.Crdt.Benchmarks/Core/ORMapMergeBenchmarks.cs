using System;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Maps;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Benchmarks.Core;

/// <summary>
/// Merges of an ORMap of n nested counters: two replicas sharing an ancestor that each changed 1% of the keys
/// (updates and removes), and a one-update delta into the full state; the peer in the same run is an ORSet of the same
/// keys diverged the same way (the map's per-key join adds the nested values to the set's dot join).
/// </summary>
[MemoryDiagnoser]
public class ORMapMergeBenchmarks
{
    private static readonly DeltaMutator<GCounter> Increment = static (GCounter c, ReplicaId r, out GCounter d) => c.Increment(r, 1, out d);

    private ORMap<string, GCounter> _left = null!;
    private ORMap<string, GCounter> _right = null!;
    private ORMap<string, GCounter> _delta = null!;
    private ORSet<string> _leftSet = null!;
    private ORSet<string> _rightSet = null!;

    /// <summary>Gets or sets the number of keys per replica.</summary>
    [Params(1_000, 100_000)]
    public int Size { get; set; }

    /// <summary>Builds the replicas.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        ORMap<string, GCounter> ancestor = ORMap<string, GCounter>.Empty;
        ORSet<string> ancestorSet = ORSet<string>.Empty;
        for (int i = 0; i < Size; i++)
        {
            string key = "item-" + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
            ancestor = ancestor.Update("r0", key, Increment);
            ancestorSet = ancestorSet.Add("r0", key);
        }

        (_left, _leftSet) = Diverge(ancestor, ancestorSet, "r1", random);
        (_right, _rightSet) = Diverge(ancestor, ancestorSet, "r2", random);
        _left.Update("r1", "item-0000001", Increment, out _delta);
    }

    /// <summary>The peer: the same 1%-diverged merge of an ORSet of the keys.</summary>
    [Benchmark(Baseline = true)]
    public ORSet<string> ORSetMerge() => _leftSet.Merge(_rightSet);

    /// <summary>The 1%-diverged merge of two maps of nested counters that share an ancestor.</summary>
    [Benchmark]
    public ORMap<string, GCounter> ORMapMerge() => _left.Merge(_right);

    /// <summary>A one-update delta merged into the full state (point update).</summary>
    [Benchmark]
    public ORMap<string, GCounter> ORMapMergeDelta() => _right.Merge(_delta);

    private (ORMap<string, GCounter> Map, ORSet<string> Set) Diverge(ORMap<string, GCounter> map, ORSet<string> set, ReplicaId replica, Random random)
    {
        for (int i = 0; i < Math.Max(1, Size / 100); i++)
        {
            string key = "item-" + random.Next(Size).ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
            if (random.Next(4) == 0)
            {
                map = map.Remove(key);
                set = set.Remove(key);
            }
            else
            {
                map = map.Update(replica, key, Increment);
                set = set.Add(replica, key);
            }
        }

        return (map, set);
    }
}
