using System;
using System.Collections.Immutable;
using System.Linq;

namespace Sync.Crdt.Replication.Tests.TestTypes;

/// <summary>A test-only last-writer-wins map from string to string (timestamp, then value, decides).</summary>
public sealed class TestLWWMap : IMergeable<TestLWWMap>, IEquatable<TestLWWMap>
{
    public static readonly TestLWWMap Empty = new(ImmutableSortedDictionary<string, (long Time, string Value)>.Empty.WithComparers(StringComparer.Ordinal));

    public TestLWWMap(ImmutableSortedDictionary<string, (long Time, string Value)> entries) => Entries = entries;

    public ImmutableSortedDictionary<string, (long Time, string Value)> Entries { get; }

    public TestLWWMap Put(string key, string value, long time, out TestLWWMap delta)
    {
        delta = new TestLWWMap(Empty.Entries.Add(key, (time, value)));
        return Merge(delta);
    }

    public TestLWWMap Merge(TestLWWMap other)
    {
        ArgumentNullException.ThrowIfNull(other);
        ImmutableSortedDictionary<string, (long Time, string Value)> result = Entries;
        foreach (var (key, entry) in other.Entries)
        {
            if (!result.TryGetValue(key, out var mine) || Wins(entry, mine))
            {
                result = result.SetItem(key, entry);
            }
        }

        return ReferenceEquals(result, Entries) ? this : new TestLWWMap(result);
    }

    public bool Equals(TestLWWMap? other) => other is not null && Entries.Count == other.Entries.Count && Entries.SequenceEqual(other.Entries);

    public override bool Equals(object? obj) => Equals(obj as TestLWWMap);

    public override int GetHashCode() => Entries.Count;

    private static bool Wins((long Time, string Value) a, (long Time, string Value) b) =>
        a.Time > b.Time || (a.Time == b.Time && string.CompareOrdinal(a.Value, b.Value) > 0);
}
