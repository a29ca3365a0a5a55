using Sync.Crdt.Collections;

namespace Sync.Crdt.Maps;

/// <summary>The per-key last-writer-wins join of two <see cref="LWWMap{TKey, TValue}"/> states.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
internal readonly struct LWWMapJoiner<TKey, TValue> : ISortedTreeJoiner<TKey, LwwEntry<TValue>>
{
    public bool AllLive => false;

    public JoinOutcome Both(TKey key, LwwEntry<TValue> left, LwwEntry<TValue> right, out LwwEntry<TValue> merged)
    {
        merged = left;
        if (ReferenceEquals(left, right))
        {
            return JoinOutcome.Same;
        }

        int c = left.CompareTo(right);
        if (c > 0)
        {
            return JoinOutcome.Left;
        }

        if (c < 0)
        {
            merged = right;
            return JoinOutcome.Right;
        }

        // Same timestamp and kind: the same write, or two different values written under one timestamp, which the
        // map's contract rules out (a timestamp names one write). Then the greater value wins when the value type
        // has an order, so even such input merges deterministically; otherwise the left value is kept.
        if (left.SameWrite(right))
        {
            return JoinOutcome.Same;
        }

        if (LwwEntry<TValue>.TieBreak is { } order && order.Compare(left.Value, right.Value) < 0)
        {
            merged = right;
            return JoinOutcome.Right;
        }

        return JoinOutcome.Left;
    }

    public JoinOutcome LeftOnly(TKey key, LwwEntry<TValue> left, out LwwEntry<TValue> merged)
    {
        merged = left;
        return JoinOutcome.Left;
    }

    public JoinOutcome RightOnly(TKey key, LwwEntry<TValue> right, out LwwEntry<TValue> merged)
    {
        merged = right;
        return JoinOutcome.Right;
    }

    public bool IsLive(LwwEntry<TValue> value) => !value.IsDeleted;
}
