using System;
using System.Collections.Immutable;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Causality;
using Sync.Crdt.Maps;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Benchmarks.Bulk;

/// <summary>
/// Bulk load of 100k entries from sorted input through a builder, beside the floors in the same run: a sorted-array
/// bulk build (the keys, one write object per entry as a map holds them, copied into fresh arrays) and an
/// <see cref="ImmutableSortedDictionary{TKey, TValue}"/> built from the same sorted pairs.
/// </summary>
public class BuilderBulkLoadBenchmarks
{
    private static readonly ReplicaId Replica = "replica-a";
    private static readonly ReplicaId[] Replicas = ["replica-a", "replica-b", "replica-c"];
    private string[] _keys = null!;
    private string[] _values = null!;

    /// <summary>Gets or sets the number of entries.</summary>
    [Params(100_000)]
    public int Entries { get; set; }

    /// <summary>Creates the sorted keys and values.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _keys = new string[Entries];
        _values = new string[Entries];
        for (int i = 0; i < Entries; i++)
        {
            _keys[i] = "key-" + i.ToString("D6", CultureInfo.InvariantCulture);
            _values[i] = "value-" + i.ToString("D6", CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Floor: copy the sorted keys and a write (timestamp, value) per entry into fresh arrays.</summary>
    [Benchmark(Baseline = true)]
    public object SortedArrayBulkBuild()
    {
        var keys = new string[_keys.Length];
        var writes = new Tuple<LWWTimestamp, string>[_keys.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = _keys[i];
            writes[i] = Tuple.Create(new LWWTimestamp(i + 1, Replica), _values[i]);
        }

        return (keys, writes);
    }

    /// <summary>Floor: an immutable sorted dictionary built by its builder from the same sorted pairs.</summary>
    [Benchmark]
    public object ImmutableSortedDictionaryBuild()
    {
        ImmutableSortedDictionary<string, Tuple<LWWTimestamp, string>>.Builder builder = ImmutableSortedDictionary.CreateBuilder<string, Tuple<LWWTimestamp, string>>(StringComparer.Ordinal);
        for (int i = 0; i < _keys.Length; i++)
        {
            builder.Add(_keys[i], Tuple.Create(new LWWTimestamp(i + 1, Replica), _values[i]));
        }

        return builder.ToImmutable();
    }

    /// <summary>An LWW map builder loaded with puts in key order (the bulk path), then the map.</summary>
    [Benchmark]
    public LWWMap<string, string> LWWMapBuilderSortedPuts()
    {
        LWWMap<string, string>.Builder builder = LWWMap<string, string>.Empty.ToBuilder();
        for (int i = 0; i < _keys.Length; i++)
        {
            builder.Put(new LWWTimestamp(i + 1, Replica), _keys[i], _values[i]);
        }

        return builder.ToImmutable();
    }

    /// <summary>The same, and the batch's delta group.</summary>
    [Benchmark]
    public LWWMap<string, string> LWWMapBuilderSortedPutsWithDelta()
    {
        LWWMap<string, string>.Builder builder = LWWMap<string, string>.Empty.ToBuilder();
        for (int i = 0; i < _keys.Length; i++)
        {
            builder.Put(new LWWTimestamp(i + 1, Replica), _keys[i], _values[i]);
        }

        builder.ToImmutable();
        return builder.ToDelta();
    }

    /// <summary>An OR-set builder loaded with adds in element order (the bulk path: an ascending run built bottom-up), then the set.</summary>
    [Benchmark]
    public ORSet<string> ORSetBuilderSortedAdds()
    {
        ORSet<string>.Builder builder = ORSet<string>.Empty.ToBuilder();
        for (int i = 0; i < _keys.Length; i++)
        {
            builder.Add(Replica, _keys[i]);
        }

        return builder.ToImmutable();
    }

    /// <summary>The same with three replicas taking turns (a counting sort by replica builds the dot index), and the batch's delta group.</summary>
    [Benchmark]
    public ORSet<string> ORSetBuilderSortedAddsThreeReplicasWithDelta()
    {
        ORSet<string>.Builder builder = ORSet<string>.Empty.ToBuilder();
        for (int i = 0; i < _keys.Length; i++)
        {
            builder.Add(Replicas[i % 3], _keys[i]);
        }

        builder.ToImmutable();
        return builder.ToDelta();
    }
}
