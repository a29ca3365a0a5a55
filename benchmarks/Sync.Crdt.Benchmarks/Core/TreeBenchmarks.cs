using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Benchmarks.Core;

/// <summary>
/// The structure choice for sets and maps: the persistent B+-tree against System.Collections.Immutable's AVL
/// trees (ImmutableSortedDictionary: ordered; ImmutableDictionary: hash-keyed, unordered) at 100,000 string keys.
/// </summary>
public class TreeBenchmarks
{
    private const int Size = 100_000;

    private string[] _keys = null!;
    private SortedTree<string, int> _tree = null!;
    private ImmutableSortedDictionary<string, int> _sorted = null!;
    private ImmutableDictionary<string, int> _hashed = null!;
    private string _probe = null!;
    private string _newKey = null!;

    /// <summary>Builds the collections.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _keys = new string[Size];
        var values = new int[Size];
        for (int i = 0; i < Size; i++)
        {
            _keys[i] = SetMapWorkload.Key(i * 2);
            values[i] = i;
        }

        _tree = SortedTree<string, int>.FromSorted(StringComparer.Ordinal, _keys, values);
        _sorted = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, Pairs());
        _hashed = ImmutableDictionary.CreateRange(StringComparer.Ordinal, Pairs());
        _probe = SetMapWorkload.Fresh(_keys[Size / 3]);
        _newKey = SetMapWorkload.Key((Size / 3 * 2) + 1);
    }

    /// <summary>Lookup in the B+-tree.</summary>
    [Benchmark]
    public bool TreeLookup() => _tree.TryGetValue(_probe, out _);

    /// <summary>Lookup in ImmutableSortedDictionary (baseline).</summary>
    [Benchmark(Baseline = true)]
    public bool SortedDictionaryLookup() => _sorted.TryGetValue(_probe, out _);

    /// <summary>Lookup in ImmutableDictionary.</summary>
    [Benchmark]
    public bool HashedDictionaryLookup() => _hashed.TryGetValue(_probe, out _);

    /// <summary>Insert of a new key into the B+-tree.</summary>
    [Benchmark]
    public int TreeInsert() => _tree.SetItem(_newKey, 1).Count;

    /// <summary>Insert of a new key into ImmutableSortedDictionary.</summary>
    [Benchmark]
    public int SortedDictionaryInsert() => _sorted.SetItem(_newKey, 1).Count;

    /// <summary>Insert of a new key into ImmutableDictionary.</summary>
    [Benchmark]
    public int HashedDictionaryInsert() => _hashed.SetItem(_newKey, 1).Count;

    /// <summary>In-order enumeration of the B+-tree.</summary>
    [Benchmark]
    public long TreeEnumerate()
    {
        long sum = 0;
        foreach (KeyValuePair<string, int> entry in _tree)
        {
            sum += entry.Value;
        }

        return sum;
    }

    /// <summary>In-order enumeration of ImmutableSortedDictionary.</summary>
    [Benchmark]
    public long SortedDictionaryEnumerate()
    {
        long sum = 0;
        foreach (KeyValuePair<string, int> entry in _sorted)
        {
            sum += entry.Value;
        }

        return sum;
    }

    /// <summary>Building the B+-tree from sorted input.</summary>
    [Benchmark]
    public int TreeBuildSorted() => SortedTree<string, int>.FromSorted(StringComparer.Ordinal, _keys, new int[Size]).Count;

    private IEnumerable<KeyValuePair<string, int>> Pairs()
    {
        for (int i = 0; i < Size; i++)
        {
            yield return new KeyValuePair<string, int>(_keys[i], i);
        }
    }
}
