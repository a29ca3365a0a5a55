using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Maps;

/// <summary>The winning write of one key of an <see cref="LWWMap{TKey, TValue}"/>: a value or a tombstone, with its timestamp.</summary>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed class LwwEntry<TValue>
{
    /// <summary>The order that breaks ties between different values written under one timestamp (invalid input), if any.</summary>
    public static readonly IComparer<TValue>? TieBreak = KeyOrder.DefaultOrNull<TValue>();

    public LwwEntry(LwwTimestamp timestamp, bool isDeleted, TValue value)
    {
        Timestamp = timestamp;
        IsDeleted = isDeleted;
        Value = value;
    }

    /// <summary>Gets the write's timestamp.</summary>
    public LwwTimestamp Timestamp { get; }

    /// <summary>Gets a value indicating whether the write was a delete (the entry is a tombstone).</summary>
    public bool IsDeleted { get; }

    /// <summary>Gets the written value (<see langword="default"/> for a tombstone).</summary>
    public TValue Value { get; }

    /// <summary>
    /// Orders two writes: the later timestamp wins; at equal timestamps a delete wins over a put.
    /// Returns positive when this write wins, negative when <paramref name="other"/> wins, 0 when neither does.
    /// </summary>
    public int CompareTo(LwwEntry<TValue> other)
    {
        int c = Timestamp.CompareTo(other.Timestamp);
        if (c != 0)
        {
            return c;
        }

        return IsDeleted == other.IsDeleted ? 0 : IsDeleted ? 1 : -1;
    }

    /// <summary>Returns whether both writes are the same write (timestamp, kind and value).</summary>
    public bool SameWrite(LwwEntry<TValue> other) =>
        ReferenceEquals(this, other) ||
        (Timestamp.Equals(other.Timestamp) && IsDeleted == other.IsDeleted && EqualityComparer<TValue>.Default.Equals(Value, other.Value));
}
