using System.Runtime.CompilerServices;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;

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
    /// Decides like <see cref="Decide(LWWWrite, LWWWrite)"/>, remembering in <paramref name="replicas"/> the last pair
    /// of equal replica id instances it compared: a merge-join of two independently built or decoded maps compares
    /// the same two instances of a replica's id for most keys, and recognizes them by reference after the first.
    /// </summary>
    public static int Decide(LWWWrite left, LWWWrite right, ref EqualReplicas replicas)
    {
        if (ReferenceEquals(left, right))
        {
            return 0;
        }

        LWWTimestamp a = left.Timestamp;
        LWWTimestamp b = right.Timestamp;
        int c = a.Time.CompareTo(b.Time);
        if (c == 0)
        {
            c = replicas.Compare(a.Replica, b.Replica);
        }

        if (c == 0 && left.IsDeleted != right.IsDeleted)
        {
            c = left.IsDeleted ? 1 : -1;
        }

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

/// <summary>The last two instances of one replica id that a merge-join found equal (see <see cref="LWWWrite.Decide(LWWWrite, LWWWrite, ref EqualReplicas)"/>).</summary>
internal struct EqualReplicas
{
    private string? _left;
    private string? _right;

    /// <summary>Compares two replica ids ordinally, by reference when they are the last equal pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Compare(ReplicaId left, ReplicaId right)
    {
        string l = left.Value;
        string r = right.Value;
        if (ReferenceEquals(l, _left) && ReferenceEquals(r, _right))
        {
            return 0;
        }

        int c = OrdinalEqualFirst.Compare(l, r);
        if (c == 0)
        {
            _left = l;
            _right = r;
        }

        return c;
    }
}
