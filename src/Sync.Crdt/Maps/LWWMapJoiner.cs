using Sync.Crdt.Collections;

namespace Sync.Crdt.Maps;

/// <summary>The per-key last-writer-wins join of two <see cref="LWWMap{TKey, TValue}"/> states (see <see cref="LWWWrite.Decide"/>); independent
/// of the key and value types, so the join calls it directly instead of through a shared-generic lookup.</summary>
internal readonly struct LWWMapJoiner : ISortedTreeJoiner<LWWWrite>
{
    public JoinOutcome Both(LWWWrite left, LWWWrite right, out LWWWrite merged)
    {
        int c = LWWWrite.Decide(left, right);
        merged = c < 0 ? right : left;
        return c > 0 ? JoinOutcome.Left : c < 0 ? JoinOutcome.Right : JoinOutcome.Same;
    }

    public JoinOutcome LeftOnly(LWWWrite left, out LWWWrite merged)
    {
        merged = left;
        return JoinOutcome.Left;
    }

    public JoinOutcome RightOnly(LWWWrite right, out LWWWrite merged)
    {
        merged = right;
        return JoinOutcome.Right;
    }

    public bool IsLive(LWWWrite value) => !value.IsDeleted;
}
