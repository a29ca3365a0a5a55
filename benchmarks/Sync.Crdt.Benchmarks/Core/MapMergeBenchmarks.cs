using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Causality;
using Sync.Crdt.Maps;

namespace Sync.Crdt.Benchmarks.Core;

/// <summary>
/// Full-state merge of two LWWMap replicas of n keys that diverged by 1% (puts and deletes on both sides), against
/// naive last-writer-wins merges over hash maps that copy every entry.
/// </summary>
public class MapMergeBenchmarks
{
    private LWWMap<string, string> _left = null!;
    private LWWMap<string, string> _right = null!;
    private ImmutableDictionary<string, Write> _leftImmutable = null!;
    private ImmutableDictionary<string, Write> _rightImmutable = null!;
    private Dictionary<string, Write> _leftDictionary = null!;
    private Dictionary<string, Write> _rightDictionary = null!;
    private string[] _leftKeys = null!;
    private Write[] _leftWrites = null!;
    private string[] _rightKeys = null!;
    private Write[] _rightWrites = null!;

    /// <summary>Gets or sets the number of keys per replica.</summary>
    [Params(10, 1_000, 100_000)]
    public int Size { get; set; }

    /// <summary>Gets or sets how the replicas were built.</summary>
    [Params(ReplicaShape.SharedAncestry, ReplicaShape.Independent)]
    public ReplicaShape Shape { get; set; }

    /// <summary>Builds the replicas.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_left, _right) = SetMapWorkload.Maps(Size, Shape);
        _leftImmutable = ToImmutable(_left);
        _rightImmutable = ToImmutable(_right);
        _leftDictionary = new Dictionary<string, Write>(_leftImmutable, StringComparer.Ordinal);
        _rightDictionary = new Dictionary<string, Write>(_rightImmutable, StringComparer.Ordinal);
        (_leftKeys, _leftWrites) = ToSortedArrays(_left);
        (_rightKeys, _rightWrites) = ToSortedArrays(_right);
    }

    /// <summary>The naive baseline: per-key LWW over ImmutableDictionary, rebuilding the result.</summary>
    [Benchmark(Baseline = true)]
    public ImmutableDictionary<string, Write> ImmutableDictionaryMerge()
    {
        ImmutableDictionary<string, Write>.Builder result = _leftImmutable.ToBuilder();
        foreach (KeyValuePair<string, Write> entry in _rightImmutable)
        {
            if (!result.TryGetValue(entry.Key, out Write? current) || Write.Wins(entry.Value, current))
            {
                result[entry.Key] = entry.Value;
            }
        }

        return result.ToImmutable();
    }

    /// <summary>The same merge into a mutable Dictionary copy (a hash-map merge, for scale).</summary>
    [Benchmark]
    public Dictionary<string, Write> DictionaryMerge()
    {
        var result = new Dictionary<string, Write>(_leftDictionary, StringComparer.Ordinal);
        foreach (KeyValuePair<string, Write> entry in _rightDictionary)
        {
            if (!result.TryGetValue(entry.Key, out Write? current) || Write.Wins(entry.Value, current))
            {
                result[entry.Key] = entry.Value;
            }
        }

        return result;
    }

    /// <summary>
    /// The floor, for scale: the same per-key rule (later timestamp wins, deletes win ties, equal values are the
    /// same write) as one merge-join over two flat sorted arrays of the same strings and writes, into fresh output
    /// arrays. No tree, no sharing, nothing reused: what touching every key and write once costs on this machine.
    /// </summary>
    [Benchmark]
    public int SortedArrayMergeJoin()
    {
        string[] leftKeys = _leftKeys;
        Write[] leftWrites = _leftWrites;
        string[] rightKeys = _rightKeys;
        Write[] rightWrites = _rightWrites;
        var keys = new string[leftKeys.Length + rightKeys.Length];
        var writes = new Write[keys.Length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < leftKeys.Length && j < rightKeys.Length)
        {
            int c = string.Equals(leftKeys[i], rightKeys[j]) ? 0 : string.CompareOrdinal(leftKeys[i], rightKeys[j]);
            if (c == 0)
            {
                Write left = leftWrites[i++];
                Write right = rightWrites[j];
                bool rightWins = Write.Wins(right, left) ||
                    (left.Timestamp == right.Timestamp && left.Deleted == right.Deleted && string.CompareOrdinal(left.Value, right.Value) < 0);
                keys[n] = rightKeys[j++];
                writes[n++] = rightWins ? right : left;
            }
            else if (c < 0)
            {
                keys[n] = leftKeys[i];
                writes[n++] = leftWrites[i++];
            }
            else
            {
                keys[n] = rightKeys[j];
                writes[n++] = rightWrites[j++];
            }
        }

        for (; i < leftKeys.Length; i++, n++)
        {
            keys[n] = leftKeys[i];
            writes[n] = leftWrites[i];
        }

        for (; j < rightKeys.Length; j++, n++)
        {
            keys[n] = rightKeys[j];
            writes[n] = rightWrites[j];
        }

        return n;
    }

    /// <summary>LWWMap's merge: a merge-join of two persistent B+-trees.</summary>
    [Benchmark]
    public LWWMap<string, string> LWWMapMerge() => _left.Merge(_right);

    private static ImmutableDictionary<string, Write> ToImmutable(LWWMap<string, string> map)
    {
        ImmutableDictionary<string, Write>.Builder builder = ImmutableDictionary.CreateBuilder<string, Write>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, Maps.LWWWrite> entry in new EntryList(map))
        {
            builder[entry.Key] = ToWrite(entry.Value);
        }

        return builder.ToImmutable();
    }

    private static (string[] Keys, Write[] Writes) ToSortedArrays(LWWMap<string, string> map)
    {
        var keys = new List<string>();
        var writes = new List<Write>();
        foreach (KeyValuePair<string, Maps.LWWWrite> entry in new EntryList(map))
        {
            keys.Add(entry.Key);
            writes.Add(ToWrite(entry.Value));
        }

        return (keys.ToArray(), writes.ToArray());
    }

    private static Write ToWrite(Maps.LWWWrite write) =>
        new(write.Timestamp, write.IsDeleted, Maps.LWWEntry<string>.Of(write).Value);

    /// <summary>One naive map entry: the winning write of a key.</summary>
    public sealed record Write(LWWTimestamp Timestamp, bool Deleted, string? Value)
    {
        /// <summary>Returns whether <paramref name="candidate"/> beats <paramref name="current"/> (deletes win ties).</summary>
        public static bool Wins(Write candidate, Write current)
        {
            int c = candidate.Timestamp.CompareTo(current.Timestamp);
            return c > 0 || (c == 0 && candidate.Deleted && !current.Deleted);
        }
    }

    private readonly struct EntryList(LWWMap<string, string> map)
    {
        public Collections.SortedTree<string, Maps.LWWWrite>.Enumerator GetEnumerator() => map.GetEntryEnumerator();
    }
}
