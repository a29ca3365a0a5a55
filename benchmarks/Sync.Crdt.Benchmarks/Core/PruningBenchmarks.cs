using System.Globalization;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Causality;
using Sync.Crdt.Pruning;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Benchmarks.Core;

/// <summary>
/// The cost of a removed-replica prune of an <see cref="ORSet{T}"/> of <see cref="Size"/> elements whose dots come from 16
/// replicas (one removed), against its floor: one merge of the same set with a one-element delta (a prune touches every
/// element once, a merge of a delta only one). Memory is reported by the config's diagnoser.
/// </summary>
public class PruningBenchmarks
{
    private ORSet<int> _set = ORSet<int>.Empty;
    private ORSet<int> _delta = ORSet<int>.Empty;
    private ReplicaPruning _plan = null!;

    /// <summary>Elements in the set.</summary>
    [Params(1_000, 100_000)]
    public int Size { get; set; }

    /// <summary>Builds the set with a builder: element i added by replica i % 16.</summary>
    [GlobalSetup]
    public void Setup()
    {
        ORSet<int>.Builder builder = ORSet<int>.Empty.ToBuilder();
        for (int i = 0; i < Size; i++)
        {
            builder.Add("replica-" + (i % 16).ToString(CultureInfo.InvariantCulture), i);
        }

        _set = builder.ToImmutable();
        _set.Add("replica-0", Size, out _delta);
        _plan = _set.PlanPruning("replica-15", "replica-0")!;
    }

    /// <summary>The floor: merging a one-element delta.</summary>
    [Benchmark(Baseline = true)]
    public ORSet<int> MergeDelta() => _set.Merge(_delta);

    /// <summary>Pruning replica-15 (1/16 of the dots renamed, every element visited).</summary>
    [Benchmark]
    public ORSet<int> Prune() => _set.PruneReplica(_plan);

    /// <summary>Cleaning up a copy that holds nothing of the removed replica (the common case on receipt): a context check only.</summary>
    [Benchmark]
    public ORSet<int> CleanUpUntouched() => _delta.CleanUpPrunedReplica(_plan);
}
