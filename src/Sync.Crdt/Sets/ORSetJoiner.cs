using Sync.Crdt.Causality;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Sets;

/// <summary>The per-element observed-remove join of two <see cref="ORSet{T}"/> states (independent of the element type, so the join calls it without shared-generic dispatch) (their entries and contexts).</summary>
internal readonly struct ORSetJoiner : ISortedTreeJoiner<Dot[]>
{
    private readonly CausalContext _leftContext;
    private readonly CausalContext _rightContext;

    public ORSetJoiner(CausalContext leftContext, CausalContext rightContext)
    {
        _leftContext = leftContext;
        _rightContext = rightContext;
    }

    public JoinOutcome Both(Dot[] left, Dot[] right, out Dot[] merged)
    {
        if (ElementDots.SequenceEqual(left, right))
        {
            merged = left;
            return JoinOutcome.Same;
        }

        merged = ElementDots.Join(left, _leftContext, right, _rightContext);
        if (merged.Length == 0)
        {
            return JoinOutcome.Drop;
        }

        if (ElementDots.SequenceEqual(merged, left))
        {
            return JoinOutcome.Left;
        }

        return ElementDots.SequenceEqual(merged, right) ? JoinOutcome.Right : JoinOutcome.Merged;
    }

    public JoinOutcome LeftOnly(Dot[] left, out Dot[] merged) => Filter(left, _rightContext, JoinOutcome.Left, out merged);

    public JoinOutcome RightOnly(Dot[] right, out Dot[] merged) => Filter(right, _leftContext, JoinOutcome.Right, out merged);

    public bool IsLive(Dot[] value) => true;

    private static JoinOutcome Filter(Dot[] dots, CausalContext otherContext, JoinOutcome unchanged, out Dot[] merged)
    {
        Dot[]? unseen = ElementDots.Unseen(dots, otherContext);
        merged = unseen ?? [];
        return unseen is null ? JoinOutcome.Drop : ReferenceEquals(unseen, dots) ? unchanged : JoinOutcome.Merged;
    }
}
