using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Sync.Crdt.Maps;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Benchmarks.Core;

/// <summary>
/// Full-state merges of two independently built 100k-entry replicas (<see cref="ReplicaShape.Independent"/>: fresh
/// key strings, entries and dots on each side, as after decoding), each beside its flat merge-join floor in the same
/// run and the same ratio group: category <c>LWWMap</c> against <see cref="MapMergeBenchmarks.SortedArrayMergeJoin"/>,
/// category <c>ORSet</c> against <see cref="SetMergeBenchmarks.SortedArrayMergeJoin"/> (the same data, the same
/// per-key rules, two flat sorted arrays into fresh output arrays). The <c>Ratio</c> column is the merge's ratio to
/// its floor.
/// </summary>
[Config(typeof(Config))]
public class IndependentMergeBenchmarks
{
    private readonly MapMergeBenchmarks _map = new() { Shape = ReplicaShape.Independent };
    private readonly SetMergeBenchmarks _set = new() { Shape = ReplicaShape.Independent };

    /// <summary>Gets or sets the number of entries per replica.</summary>
    [Params(100_000)]
    public int Size { get; set; }

    /// <summary>Builds both pairs of replicas and their flat sorted arrays.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _map.Size = Size;
        _map.Setup();
        _set.Size = Size;
        _set.Setup();
    }

    /// <summary>Floor: the LWW merge-join over two flat sorted arrays of the same keys and writes.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("LWWMap")]
    public int LWWMapFloor() => _map.SortedArrayMergeJoin();

    /// <summary>LWWMap's merge of the two replicas.</summary>
    [Benchmark]
    [BenchmarkCategory("LWWMap")]
    public LWWMap<string, string> LWWMapMerge() => _map.LWWMapMerge();

    /// <summary>Floor: the observed-remove merge-join over two flat sorted arrays of the same elements and dots.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("ORSet")]
    public int ORSetFloor() => _set.SortedArrayMergeJoin();

    /// <summary>ORSet's merge of the two replicas.</summary>
    [Benchmark]
    [BenchmarkCategory("ORSet")]
    public ORSet<string> ORSetMerge() => _set.ORSetMerge();

    /// <summary>Groups by category so each merge's ratio is to its own floor.</summary>
    private sealed class Config : ManualConfig
    {
        public Config() => AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams);
    }
}
