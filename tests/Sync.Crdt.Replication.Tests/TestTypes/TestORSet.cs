using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication.Tests.TestTypes;

/// <summary>
/// A test-only add-wins observed-remove set without tombstones (ORSWOT) over the core CausalContext. Its remove
/// delta carries only the removed dots, so it exercises the causal rules of delta replication.
/// </summary>
public sealed class TestORSet : IMergeable<TestORSet>, IEquatable<TestORSet>
{
    public static readonly TestORSet Empty = new(ImmutableSortedDictionary<int, ImmutableSortedSet<Dot>>.Empty, CausalContext.Empty);

    private TestORSet(ImmutableSortedDictionary<int, ImmutableSortedSet<Dot>> entries, CausalContext context)
    {
        Entries = entries;
        Context = context;
    }

    public ImmutableSortedDictionary<int, ImmutableSortedSet<Dot>> Entries { get; }

    public CausalContext Context { get; }

    public IEnumerable<int> Elements => Entries.Keys;

    public TestORSet Add(ReplicaId replica, int element, out TestORSet delta, out Dot dot)
    {
        dot = Context.NextDot(replica);
        ImmutableSortedSet<Dot> dots = Entries.GetValueOrDefault(element) ?? ImmutableSortedSet<Dot>.Empty;
        delta = new TestORSet(ImmutableSortedDictionary<int, ImmutableSortedSet<Dot>>.Empty.Add(element, ImmutableSortedSet.Create(dot)), CausalContext.Empty.Add(dot));
        return new TestORSet(Entries.SetItem(element, dots.Add(dot)), Context.Add(dot));
    }

    public TestORSet Remove(int element, out TestORSet delta, out ImmutableSortedSet<Dot> observed)
    {
        if (!Entries.TryGetValue(element, out ImmutableSortedSet<Dot>? dots))
        {
            observed = ImmutableSortedSet<Dot>.Empty;
            delta = Empty;
            return this;
        }

        observed = dots;
        delta = new TestORSet(ImmutableSortedDictionary<int, ImmutableSortedSet<Dot>>.Empty, CausalContext.Create(VersionVector.Empty, dots));
        return new TestORSet(Entries.Remove(element), Context);
    }

    public TestORSet Merge(TestORSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var result = ImmutableSortedDictionary.CreateBuilder<int, ImmutableSortedSet<Dot>>();
        foreach (int element in Entries.Keys.Union(other.Entries.Keys))
        {
            ImmutableSortedSet<Dot> mine = Entries.GetValueOrDefault(element) ?? ImmutableSortedSet<Dot>.Empty;
            ImmutableSortedSet<Dot> theirs = other.Entries.GetValueOrDefault(element) ?? ImmutableSortedSet<Dot>.Empty;
            ImmutableSortedSet<Dot> kept = mine.Intersect(theirs)
                .Union(mine.Where(d => !other.Context.Contains(d)))
                .Union(theirs.Where(d => !Context.Contains(d)));
            if (!kept.IsEmpty)
            {
                result.Add(element, kept);
            }
        }

        var merged = new TestORSet(result.ToImmutable(), Context.Merge(other.Context));
        return merged.Equals(this) ? this : merged;
    }

    public bool Equals(TestORSet? other) =>
        other is not null
        && Context.Equals(other.Context)
        && Entries.Count == other.Entries.Count
        && Entries.All(e => other.Entries.TryGetValue(e.Key, out ImmutableSortedSet<Dot>? d) && d.SetEquals(e.Value));

    public override bool Equals(object? obj) => Equals(obj as TestORSet);

    public override int GetHashCode() => HashCode.Combine(Entries.Count, Context);

    public override string ToString() => $"ORSet{{{string.Join(",", Entries.Keys)}}}";
}
