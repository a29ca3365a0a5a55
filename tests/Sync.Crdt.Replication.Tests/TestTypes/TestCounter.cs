using System;
using System.Collections.Immutable;
using System.Linq;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication.Tests.TestTypes;

/// <summary>A test-only grow-only counter (per-replica max), so the protocol is tested against IMergeable, not one library type.</summary>
public sealed class TestCounter : IMergeable<TestCounter>, IEquatable<TestCounter>
{
    public static readonly TestCounter Empty = new(ImmutableSortedDictionary<ReplicaId, long>.Empty);

    private TestCounter(ImmutableSortedDictionary<ReplicaId, long> entries) => Entries = entries;

    public ImmutableSortedDictionary<ReplicaId, long> Entries { get; }

    public long Value => Entries.Values.Sum();

    public TestCounter Increment(ReplicaId replica, long amount, out TestCounter delta)
    {
        long next = Entries.GetValueOrDefault(replica) + amount;
        delta = new TestCounter(ImmutableSortedDictionary<ReplicaId, long>.Empty.Add(replica, next));
        return new TestCounter(Entries.SetItem(replica, next));
    }

    public TestCounter Merge(TestCounter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        ImmutableSortedDictionary<ReplicaId, long> result = Entries;
        foreach (var (replica, count) in other.Entries)
        {
            if (count > result.GetValueOrDefault(replica))
            {
                result = result.SetItem(replica, count);
            }
        }

        return ReferenceEquals(result, Entries) ? this : new TestCounter(result);
    }

    public bool Equals(TestCounter? other) => other is not null && Entries.Count == other.Entries.Count && Entries.All(e => other.Entries.TryGetValue(e.Key, out long v) && v == e.Value);

    public override bool Equals(object? obj) => Equals(obj as TestCounter);

    public override int GetHashCode() => Entries.Aggregate(0, (h, e) => HashCode.Combine(h, e.Key, e.Value));

    public override string ToString() => $"Counter({Value})";
}
