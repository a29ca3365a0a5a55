using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Causality;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Benchmarks.Core;

/// <summary>
/// Full-state merge of two ORSet replicas of n elements that diverged by 1% (adds and removes on both sides),
/// against naive observed-remove merges over hash maps that copy every entry.
/// </summary>
public class SetMergeBenchmarks
{
    private ORSet<string> _left = null!;
    private ORSet<string> _right = null!;
    private ImmutableDictionary<string, Dot[]> _leftImmutable = null!;
    private ImmutableDictionary<string, Dot[]> _rightImmutable = null!;
    private Dictionary<string, Dot[]> _leftDictionary = null!;
    private Dictionary<string, Dot[]> _rightDictionary = null!;
    private string[] _leftItems = null!;
    private Dot[][] _leftDots = null!;
    private string[] _rightItems = null!;
    private Dot[][] _rightDots = null!;

    /// <summary>Gets or sets the number of elements per replica.</summary>
    [Params(10, 1_000, 100_000)]
    public int Size { get; set; }

    /// <summary>Gets or sets how the replicas were built.</summary>
    [Params(ReplicaShape.SharedAncestry, ReplicaShape.Independent)]
    public ReplicaShape Shape { get; set; }

    /// <summary>Builds the replicas.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_left, _right) = SetMapWorkload.Sets(Size, Shape);
        _leftImmutable = ToImmutable(_left);
        _rightImmutable = ToImmutable(_right);
        _leftDictionary = new Dictionary<string, Dot[]>(_leftImmutable, System.StringComparer.Ordinal);
        _rightDictionary = new Dictionary<string, Dot[]>(_rightImmutable, System.StringComparer.Ordinal);
        (_leftItems, _leftDots) = ToSortedArrays(_left);
        (_rightItems, _rightDots) = ToSortedArrays(_right);
    }

    /// <summary>The naive baseline: the same observed-remove join over ImmutableDictionary, rebuilding the result.</summary>
    [Benchmark(Baseline = true)]
    public ImmutableDictionary<string, Dot[]> ImmutableDictionaryMerge()
    {
        CausalContext leftContext = _left.Context;
        CausalContext rightContext = _right.Context;
        ImmutableDictionary<string, Dot[]>.Builder result = ImmutableDictionary.CreateBuilder<string, Dot[]>(System.StringComparer.Ordinal);
        foreach (KeyValuePair<string, Dot[]> entry in _leftImmutable)
        {
            Dot[] dots = _rightImmutable.TryGetValue(entry.Key, out Dot[]? other)
                ? ElementJoin(entry.Value, leftContext, other, rightContext)
                : Unseen(entry.Value, rightContext);
            if (dots.Length > 0)
            {
                result[entry.Key] = dots;
            }
        }

        foreach (KeyValuePair<string, Dot[]> entry in _rightImmutable)
        {
            if (!_leftImmutable.ContainsKey(entry.Key))
            {
                Dot[] dots = Unseen(entry.Value, leftContext);
                if (dots.Length > 0)
                {
                    result[entry.Key] = dots;
                }
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The same join over mutable Dictionary copies (a hash-map merge, for scale).</summary>
    [Benchmark]
    public Dictionary<string, Dot[]> DictionaryMerge()
    {
        CausalContext leftContext = _left.Context;
        CausalContext rightContext = _right.Context;
        var result = new Dictionary<string, Dot[]>(_leftDictionary.Count + _rightDictionary.Count, System.StringComparer.Ordinal);
        foreach (KeyValuePair<string, Dot[]> entry in _leftDictionary)
        {
            Dot[] dots = _rightDictionary.TryGetValue(entry.Key, out Dot[]? other)
                ? ElementJoin(entry.Value, leftContext, other, rightContext)
                : Unseen(entry.Value, rightContext);
            if (dots.Length > 0)
            {
                result[entry.Key] = dots;
            }
        }

        foreach (KeyValuePair<string, Dot[]> entry in _rightDictionary)
        {
            if (!_leftDictionary.ContainsKey(entry.Key))
            {
                Dot[] dots = Unseen(entry.Value, leftContext);
                if (dots.Length > 0)
                {
                    result[entry.Key] = dots;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// The floor, for scale: the same observed-remove rule as one merge-join over two flat sorted arrays of the
    /// same strings and dot arrays, into fresh output arrays (no tree, no dot index, nothing reused).
    /// </summary>
    [Benchmark]
    public int SortedArrayMergeJoin()
    {
        CausalContext leftContext = _left.Context;
        CausalContext rightContext = _right.Context;
        string[] leftItems = _leftItems;
        Dot[][] leftDots = _leftDots;
        string[] rightItems = _rightItems;
        Dot[][] rightDots = _rightDots;
        var items = new string[leftItems.Length + rightItems.Length];
        var dots = new Dot[items.Length][];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < leftItems.Length || j < rightItems.Length)
        {
            int c = i == leftItems.Length ? 1 : j == rightItems.Length ? -1
                : string.Equals(leftItems[i], rightItems[j]) ? 0 : string.CompareOrdinal(leftItems[i], rightItems[j]);
            string item = c <= 0 ? leftItems[i] : rightItems[j];
            Dot[] joined = c == 0 ? ElementJoin(leftDots[i++], leftContext, rightDots[j++], rightContext)
                : c < 0 ? Unseen(leftDots[i++], rightContext)
                : Unseen(rightDots[j++], leftContext);
            if (joined.Length > 0)
            {
                items[n] = item;
                dots[n++] = joined;
            }
        }

        return n;
    }

    /// <summary>ORSet's merge: a merge-join of two persistent B+-trees (elements and dot index).</summary>
    [Benchmark]
    public ORSet<string> ORSetMerge() => _left.Merge(_right);

    private static ImmutableDictionary<string, Dot[]> ToImmutable(ORSet<string> set)
    {
        ImmutableDictionary<string, Dot[]>.Builder builder = ImmutableDictionary.CreateBuilder<string, Dot[]>(System.StringComparer.Ordinal);
        foreach (string item in set)
        {
            builder[item] = [.. set.GetDots(item)];
        }

        return builder.ToImmutable();
    }

    private static (string[] Items, Dot[][] Dots) ToSortedArrays(ORSet<string> set)
    {
        var items = new List<string>();
        var dots = new List<Dot[]>();
        foreach (string item in set)
        {
            items.Add(item);
            dots.Add([.. set.GetDots(item)]);
        }

        return (items.ToArray(), dots.ToArray());
    }

    private static Dot[] ElementJoin(Dot[] left, CausalContext leftContext, Dot[] right, CausalContext rightContext)
    {
        if (left.AsSpan().SequenceEqual(right))
        {
            return left;
        }

        var result = new List<Dot>();
        foreach (Dot dot in left)
        {
            if (System.Array.IndexOf(right, dot) >= 0 || !rightContext.Contains(dot))
            {
                result.Add(dot);
            }
        }

        foreach (Dot dot in right)
        {
            if (System.Array.IndexOf(left, dot) < 0 && !leftContext.Contains(dot))
            {
                result.Add(dot);
            }
        }

        result.Sort();
        return result.ToArray();
    }

    private static Dot[] Unseen(Dot[] dots, CausalContext context)
    {
        foreach (Dot dot in dots)
        {
            if (context.Contains(dot))
            {
                return System.Array.FindAll(dots, d => !context.Contains(d));
            }
        }

        return dots;
    }
}
