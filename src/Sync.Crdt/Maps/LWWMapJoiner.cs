using Sync.Crdt.Collections;

namespace Sync.Crdt.Maps;

/// <summary>The per-key last-writer-wins join of two <see cref="LWWMap{TKey, TValue}"/> states (see <see cref="LwwWrite.Decide"/>); independent
/// of the key and value types, so the join calls it directly instead of through a shared-generic lookup.</summary>
internal readonly struct LWWMapJoiner : ISortedTreeJoiner<LwwWrite>
{
    public JoinOutcome Both(LwwWrite left, LwwWrite right, out LwwWrite merged)
    {
        int c = LwwWrite.Decide(left, right);
        merged = c < 0 ? right : left;
        return c > 0 ? JoinOutcome.Left : c < 0 ? JoinOutcome.Right : JoinOutcome.Same;
    }

    public JoinOutcome LeftOnly(LwwWrite left, out LwwWrite merged)
    {
        merged = left;
        return JoinOutcome.Left;
    }

    public JoinOutcome RightOnly(LwwWrite right, out LwwWrite merged)
    {
        merged = right;
        return JoinOutcome.Right;
    }

    public bool IsLive(LwwWrite value) => !value.IsDeleted;
}
