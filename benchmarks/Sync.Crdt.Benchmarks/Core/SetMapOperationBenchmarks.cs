using System;
using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Causality;
using Sync.Crdt.Maps;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Benchmarks.Core;

/// <summary>
/// One operation on a 100,000-entry ORSet or LWWMap (each returns a new immutable value), and merging one
/// operation's delta into such a value; ImmutableDictionary.SetItem as the baseline.
/// </summary>
public class SetMapOperationBenchmarks
{
    private const int Size = 100_000;
    private static readonly ReplicaId Replica = "b";

    private ORSet<string> _set = null!;
    private ORSet<string> _setAddDelta = null!;
    private ORSet<string> _setRemoveDelta = null!;
    private LWWMap<string, string> _map = null!;
    private LWWMap<string, string> _mapPutDelta = null!;
    private ImmutableDictionary<string, string> _dictionary = null!;
    private string _newKey = null!;
    private string _newMiddleKey = null!;
    private string _existingKey = null!;
    private LWWTimestamp _later;

    /// <summary>Builds the values.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _set = SetMapWorkload.BuildSet(Size, fresh: false);
        _map = SetMapWorkload.BuildMap(Size, fresh: false);
        _dictionary = ImmutableDictionary.CreateRange(StringComparer.Ordinal, _map);
        _newKey = SetMapWorkload.Key(Size + 17);
        _newMiddleKey = SetMapWorkload.Key(Size / 3) + "+";
        _existingKey = SetMapWorkload.Key(Size / 2);
        _later = new LWWTimestamp(10, Replica);
        ORSet<string> peer = _set;
        peer.Add(Replica, _newKey, out _setAddDelta);
        peer.Remove(_existingKey, out _setRemoveDelta);
        _map.Put(_later, _newKey, "v", out _mapPutDelta);
    }

    /// <summary>Baseline: ImmutableDictionary.SetItem of a new key.</summary>
    [Benchmark(Baseline = true)]
    public ImmutableDictionary<string, string> ImmutableDictionarySetItem() => _dictionary.SetItem(_newKey, "v");

    /// <summary>ORSet.Add of a new element after every other one (the last leaf happens to be full, so it splits).</summary>
    [Benchmark]
    public ORSet<string> ORSetAddNew() => _set.Add(Replica, _newKey);

    /// <summary>ORSet.Add of a new element between two others (no leaf split).</summary>
    [Benchmark]
    public ORSet<string> ORSetAddNewMiddle() => _set.Add(Replica, _newMiddleKey);

    /// <summary>ORSet.Add of a present element (replaces its dot).</summary>
    [Benchmark]
    public ORSet<string> ORSetAddExisting() => _set.Add(Replica, _existingKey);

    /// <summary>ORSet.Remove of a present element.</summary>
    [Benchmark]
    public ORSet<string> ORSetRemove() => _set.Remove(_existingKey);

    /// <summary>ORSet.Merge of one add's delta.</summary>
    [Benchmark]
    public ORSet<string> ORSetMergeAddDelta() => _set.Merge(_setAddDelta);

    /// <summary>ORSet.Merge of one remove's delta.</summary>
    [Benchmark]
    public ORSet<string> ORSetMergeRemoveDelta() => _set.Merge(_setRemoveDelta);

    /// <summary>LWWMap.Put of a new key after every other one (the last leaf happens to be full, so it splits).</summary>
    [Benchmark]
    public LWWMap<string, string> LWWMapPutNew() => _map.Put(_later, _newKey, "v");

    /// <summary>LWWMap.Put of a new key between two others (no leaf split).</summary>
    [Benchmark]
    public LWWMap<string, string> LWWMapPutNewMiddle() => _map.Put(_later, _newMiddleKey, "v");

    /// <summary>LWWMap.Put over an existing key.</summary>
    [Benchmark]
    public LWWMap<string, string> LWWMapPutExisting() => _map.Put(_later, _existingKey, "v");

    /// <summary>LWWMap.Remove of an existing key.</summary>
    [Benchmark]
    public LWWMap<string, string> LWWMapRemove() => _map.Remove(_later, _existingKey);

    /// <summary>LWWMap.Merge of one put's delta.</summary>
    [Benchmark]
    public LWWMap<string, string> LWWMapMergePutDelta() => _map.Merge(_mapPutDelta);
}
