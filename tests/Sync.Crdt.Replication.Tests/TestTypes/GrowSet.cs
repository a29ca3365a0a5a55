using System;
using System.Collections.Immutable;

namespace Sync.Crdt.Replication.Tests.TestTypes;

/// <summary>A test-only grow-only set of integers.</summary>
public sealed class GrowSet : IMergeable<GrowSet>, IEquatable<GrowSet>
{
    public static readonly GrowSet Empty = new(ImmutableSortedSet<int>.Empty);

    public GrowSet(ImmutableSortedSet<int> elements) => Elements = elements;

    public ImmutableSortedSet<int> Elements { get; }

    public GrowSet Add(int element, out GrowSet delta)
    {
        delta = new GrowSet(ImmutableSortedSet.Create(element));
        return Elements.Contains(element) ? this : new GrowSet(Elements.Add(element));
    }

    public GrowSet Merge(GrowSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Elements.IsSubsetOf(Elements))
        {
            return this;
        }

        return Elements.IsSubsetOf(other.Elements) ? other : new GrowSet(Elements.Union(other.Elements));
    }

    public bool Equals(GrowSet? other) => other is not null && Elements.SetEquals(other.Elements);

    public override bool Equals(object? obj) => Equals(obj as GrowSet);

    public override int GetHashCode() => Elements.Count;

    public override string ToString() => $"{{{string.Join(",", Elements)}}}";
}
