using Sync.Crdt.Causality;

namespace Sync.Crdt.Maps;

/// <summary>
/// The part of a last-writer-wins write that does not depend on the value type: its timestamp and kind, and the
/// order between writes. Non-generic so the merge-join's per-key decision runs without shared-generic lookups.
/// </summary>
internal abstract class LWWWrite
{
    protected LWWWrite(LWWTimestamp timestamp, bool isDeleted)
    {
        Timestamp = timestamp;
        IsDeleted = isDeleted;
    }

    /// <summary>Gets the write's timestamp.</summary>
    public LWWTimestamp Timestamp { get; }

    /// <summary>Gets a value indicating whether the write was a delete (the entry is a tombstone).</summary>
    public bool IsDeleted { get; }

    /// <summary>
    /// Decides between two writes of one key: positive when <paramref name="left"/> wins, negative when
    /// <paramref name="right"/> wins, 0 when they are the same write.
    /// </summary>
    /// <remarks>
    /// The later timestamp wins; at equal timestamps a delete wins over a put. Two puts under one timestamp are
    /// the same write when their values are equal. Different values under one timestamp break the map's contract
    /// (a timestamp names one write); the greater value wins when the value type has an order, so even such input
    /// merges deterministically, and the left one otherwise.
    /// </remarks>
    public static int Decide(LWWWrite left, LWWWrite right)
    {
        if (ReferenceEquals(left, right))
        {
            return 0;
        }

        int c = left.CompareTo(right);
        return c != 0 ? c : left.CompareSameStamp(right);
    }

    /// <summary>
    /// Orders two writes by timestamp, then kind (a delete wins): positive when this write wins, negative when
    /// <paramref name="other"/> wins, 0 when neither does (equal timestamps and kinds).
    /// </summary>
    public int CompareTo(LWWWrite other)
    {
        int c = Timestamp.CompareTo(other.Timestamp);
        if (c != 0)
        {
            return c;
        }

        return IsDeleted == other.IsDeleted ? 0 : IsDeleted ? 1 : -1;
    }

    /// <summary>Returns whether both writes are the same write (timestamp, kind and value).</summary>
    public bool SameWrite(LWWWrite other) => ReferenceEquals(this, other) || (CompareTo(other) == 0 && CompareSameStamp(other) == 0);

    /// <summary>
    /// Orders two writes of equal timestamp and kind by value: 0 when the values are equal (or both are
    /// tombstones), otherwise the sign of the value order, or positive when the value type has no order.
    /// </summary>
    protected abstract int CompareSameStamp(LWWWrite other);
}
