using Sync.Crdt.Collections;

namespace Sync.Crdt.Maps;

/// <summary>The per-key last-writer-wins join of two <see cref="LWWMap{TKey, TValue}"/> states (see <see cref="LwwWrite.Decide"/>).</summary>
/// <typeparam name="TValue">The value type.</typeparam>
internal readonly struct LWWMapJoiner<TValue> : ISortedTreeJoiner<LwwEntry<TValue>>
{
    public JoinOutcome Both(LwwEntry<TValue> left, LwwEntry<TValue> right, out LwwEntry<TValue> merged)
    {
        int c = LwwWrite.Decide(left, right);
        merged = c < 0 ? right : left;
        return c > 0 ? JoinOutcome.Left : c < 0 ? JoinOutcome.Right : JoinOutcome.Same;
    }

    public JoinOutcome LeftOnly(LwwEntry<TValue> left, out LwwEntry<TValue> merged)
    {
        merged = left;
        return JoinOutcome.Left;
    }

    public JoinOutcome RightOnly(LwwEntry<TValue> right, out LwwEntry<TValue> merged)
    {
        merged = right;
        return JoinOutcome.Right;
    }

    public bool IsLive(LwwEntry<TValue> value) => !value.IsDeleted;
}
