using System;
using System.Collections.Generic;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;

namespace Sync.Crdt.Benchmarks.Core;

/// <summary>
/// Merge of two G-/PN-counter replicas with <see cref="Size"/> replica entries, 1% of entries divergent on each
/// side (concurrent increments), against a naive Dictionary-based pointwise max; plus single-operation costs.
/// </summary>
public class CountersBenchmarks
{
    private GCounter _left = GCounter.Empty;
    private GCounter _right = GCounter.Empty;
    private PNCounter _pnLeft = PNCounter.Empty;
    private PNCounter _pnRight = PNCounter.Empty;
    private Dictionary<ReplicaId, long> _dictLeft = [];
    private Dictionary<ReplicaId, long> _dictRight = [];
    private GCounter _merged = GCounter.Empty;
    private GCounter _leftDerived = GCounter.Empty;
    private GCounter _rightDerived = GCounter.Empty;
    private ReplicaId _existing;

    /// <summary>Replica entries per counter.</summary>
    [Params(10, 1_000, 100_000)]
    public int Size { get; set; }

    /// <summary>Builds both replicas: shared counts, then 1% of entries (at least one) advanced on each side.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var shared = new KeyValuePair<ReplicaId, long>[Size];
        for (int i = 0; i < Size; i++)
        {
            shared[i] = new(new ReplicaId("replica-" + i.ToString("D6", CultureInfo.InvariantCulture)), random.Next(1, 1_000_000));
        }

        int divergent = Math.Max(1, Size / 100);
        KeyValuePair<ReplicaId, long>[] left = (KeyValuePair<ReplicaId, long>[])shared.Clone();
        KeyValuePair<ReplicaId, long>[] right = new KeyValuePair<ReplicaId, long>[Size];
        for (int i = 0; i < Size; i++)
        {
            // The right replica's ids are distinct string instances, as if decoded from the network.
            right[i] = new(new ReplicaId(new string(shared[i].Key.Value.AsSpan())), shared[i].Value);
        }

        GCounter common = GCounter.Create(shared);
        _leftDerived = common;
        _rightDerived = common;
        for (int k = 0; k < divergent; k++)
        {
            int l = random.Next(Size);
            long leftAmount = random.Next(1, 100);
            left[l] = new(left[l].Key, left[l].Value + leftAmount);
            _leftDerived = _leftDerived.Increment(left[l].Key, leftAmount);
            int r = random.Next(Size);
            long rightAmount = random.Next(1, 100);
            right[r] = new(right[r].Key, right[r].Value + rightAmount);
            _rightDerived = _rightDerived.Increment(shared[r].Key, rightAmount);
        }

        _left = GCounter.Create(left);
        _right = GCounter.Create(right);
        _merged = _left.Merge(_right);
        _pnLeft = PNCounter.Create(_left, _right);
        _pnRight = PNCounter.Create(_right, _left);
        _dictLeft = new Dictionary<ReplicaId, long>(left);
        _dictRight = new Dictionary<ReplicaId, long>(right);
        _existing = shared[Size / 2].Key;
    }

    /// <summary>Naive baseline: copy one dictionary, take the maximum per key from the other.</summary>
    [Benchmark(Baseline = true)]
    public Dictionary<ReplicaId, long> DictionaryMerge()
    {
        var result = new Dictionary<ReplicaId, long>(_dictLeft);
        foreach (KeyValuePair<ReplicaId, long> entry in _dictRight)
        {
            if (!result.TryGetValue(entry.Key, out long count) || count < entry.Value)
            {
                result[entry.Key] = entry.Value;
            }
        }

        return result;
    }

    /// <summary>G-counter merge of the two divergent replicas (replica ids compared as strings).</summary>
    [Benchmark]
    public GCounter GCounterMerge() => _left.Merge(_right);

    /// <summary>G-counter merge of two replicas derived from one state (they share the replica array: no id comparisons).</summary>
    [Benchmark]
    public GCounter GCounterMergeDerived() => _leftDerived.Merge(_rightDerived);

    /// <summary>PN-counter merge (both halves of size <see cref="Size"/>, both divergent).</summary>
    [Benchmark]
    public PNCounter PNCounterMerge() => _pnLeft.Merge(_pnRight);

    /// <summary>G-counter merge with a state it already includes: a comparison, no allocation, same instance back.</summary>
    [Benchmark]
    public GCounter GCounterMergeIncluded() => _merged.Merge(_left);

    /// <summary>One increment by an existing replica, with its delta.</summary>
    [Benchmark]
    public GCounter GCounterIncrement() => _left.Increment(_existing, 1, out _);

    /// <summary>One decrement by an existing replica, with its delta.</summary>
    [Benchmark]
    public PNCounter PNCounterDecrement() => _pnLeft.Decrement(_existing, 1, out _);
}
