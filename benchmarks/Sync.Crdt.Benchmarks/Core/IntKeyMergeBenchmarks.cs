using System;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Causality;
using Sync.Crdt.Maps;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Benchmarks.Core;

/// <summary>
/// The 100k merges of <see cref="MapMergeBenchmarks"/> and <see cref="SetMergeBenchmarks"/> with <see cref="int"/>
/// keys and values instead of strings: the same tree, join and workload (1% divergent, half adds/puts and half
/// removes on each side) without a heap object per key, which separates the structure's cost from the cost of
/// comparing string keys that live elsewhere in memory.
/// </summary>
public class IntKeyMergeBenchmarks
{
    private const int Size = 100_000;

    private LWWMap<int, int> _leftMap = null!;
    private LWWMap<int, int> _rightMap = null!;
    private ORSet<int> _leftSet = null!;
    private ORSet<int> _rightSet = null!;

    /// <summary>Gets or sets how the replicas were built.</summary>
    [Params(ReplicaShape.SharedAncestry, ReplicaShape.Independent)]
    public ReplicaShape Shape { get; set; }

    /// <summary>Builds the replicas.</summary>
    [GlobalSetup]
    public void Setup()
    {
        int d = Size / 100;
        ReplicaId b = "b";
        ReplicaId c = "c";

        LWWMap<int, int> baseLeftMap = BuildMap(fresh: false);
        _leftMap = baseLeftMap;
        _rightMap = Shape == ReplicaShape.SharedAncestry ? baseLeftMap : BuildMap(fresh: true);
        ORSet<int> baseLeftSet = BuildSet(fresh: false);
        _leftSet = baseLeftSet;
        _rightSet = Shape == ReplicaShape.SharedAncestry ? baseLeftSet : BuildSet(fresh: true);
        for (int i = 0; i < d; i++)
        {
            int spread = (int)((long)i * Size / d);
            if (i % 2 == 0)
            {
                _leftMap = _leftMap.Put(new LWWTimestamp(2 + i, b), spread, -1);
                _rightMap = _rightMap.Put(new LWWTimestamp(2 + i, c), Size + i, -2);
                _leftSet = _leftSet.Add(b, Size + i);
                _rightSet = _rightSet.Add(c, Size + d + i);
            }
            else
            {
                _leftMap = _leftMap.Remove(new LWWTimestamp(2 + i, b), spread);
                _rightMap = _rightMap.Remove(new LWWTimestamp(2 + i, c), (spread + 1) % Size);
                _leftSet = _leftSet.Remove(spread);
                _rightSet = _rightSet.Remove((spread + 1) % Size);
            }
        }
    }

    /// <summary>LWWMap&lt;int, int&gt; merge of two 100k replicas.</summary>
    [Benchmark]
    public LWWMap<int, int> LWWMapMerge() => _leftMap.Merge(_rightMap);

    /// <summary>ORSet&lt;int&gt; merge of two 100k replicas.</summary>
    [Benchmark]
    public ORSet<int> ORSetMerge() => _leftSet.Merge(_rightSet);

    private static LWWMap<int, int> BuildMap(bool fresh)
    {
        var t = new LWWTimestamp(1, fresh ? new ReplicaId(new string("a".AsSpan())) : "a");
        LWWMap<int, int>.Builder builder = LWWMap<int, int>.Empty.ToBuilder();
        for (int i = 0; i < Size; i++)
        {
            builder.Put(t, i, i);
        }

        return builder.ToImmutable();
    }

    private static ORSet<int> BuildSet(bool fresh)
    {
        ReplicaId a = fresh ? new ReplicaId(new string("a".AsSpan())) : "a";
        ORSet<int>.Builder builder = ORSet<int>.Empty.ToBuilder();
        for (int i = 0; i < Size; i++)
        {
            builder.Add(a, i);
        }

        return builder.ToImmutable();
    }
}
