using Sync.Crdt.Collections;

namespace Sync.Crdt.Maps;

/// <summary>The per-key last-writer-wins join of two <see cref="LWWMap{TKey, TValue}"/> states (see <see cref="LWWWrite.Decide(LWWWrite, LWWWrite)"/>; it remembers the last pair of equal replica id instances, so it is passed by reference through one join); independent
/// of the key and value types, so the join calls it directly instead of through a shared-generic lookup.</summary>
internal struct LWWMapJoiner : ISortedTreeJoiner<LWWWrite>
{
    private EqualReplicas _replicas;

    public JoinOutcome Both(LWWWrite left, LWWWrite right, out LWWWrite merged)
    {
        int c = LWWWrite.Decide(left, right, ref _replicas);
        merged = c < 0 ? right : left;
        return c > 0 ? JoinOutcome.Left : c < 0 ? JoinOutcome.Right : JoinOutcome.Same;
    }

    public readonly JoinOutcome LeftOnly(LWWWrite left, out LWWWrite merged)
    {
        merged = left;
        return JoinOutcome.Left;
    }

    public readonly JoinOutcome RightOnly(LWWWrite right, out LWWWrite merged)
    {
        merged = right;
        return JoinOutcome.Right;
    }

    public readonly bool IsLive(LWWWrite value) => !value.IsDeleted;
}
