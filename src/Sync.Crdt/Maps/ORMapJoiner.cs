using Sync.Crdt.Causality;
using Sync.Crdt.Collections;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Maps;

/// <summary>
/// The per-key observed-remove join of two <see cref="ORMap{TKey, TValue}"/> states: a key's dots join as an
/// <see cref="ORSet{T}"/> element's do (kept when both sides hold them or the other side never saw them), and each
/// surviving dot keeps the value it was written with. Independent of the key and value types, so the join calls it
/// without shared-generic dispatch.
/// </summary>
internal readonly struct ORMapJoiner : ISortedTreeJoiner<ORMapSlot>
{
    private readonly CausalContext _leftContext;
    private readonly CausalContext _rightContext;

    public ORMapJoiner(CausalContext leftContext, CausalContext rightContext)
    {
        _leftContext = leftContext;
        _rightContext = rightContext;
    }

    public JoinOutcome Both(ORMapSlot left, ORMapSlot right, out ORMapSlot merged)
    {
        // A dot names one update with one value, so equal dots mean equal slots.
        if (ReferenceEquals(left, right) || ElementDots.SequenceEqual(left.Dots, right.Dots))
        {
            merged = left;
            return JoinOutcome.Same;
        }

        Dot[] dots = ElementDots.Join(left.Dots, _leftContext, right.Dots, _rightContext);
        if (dots.Length == 0)
        {
            merged = left;
            return JoinOutcome.Drop;
        }

        if (ElementDots.SequenceEqual(dots, left.Dots))
        {
            merged = left;
            return JoinOutcome.Left;
        }

        if (ElementDots.SequenceEqual(dots, right.Dots))
        {
            merged = right;
            return JoinOutcome.Right;
        }

        merged = left.Select(dots, right);
        return JoinOutcome.Merged;
    }

    public JoinOutcome LeftOnly(ORMapSlot left, out ORMapSlot merged) => Filter(left, _rightContext, JoinOutcome.Left, out merged);

    public JoinOutcome RightOnly(ORMapSlot right, out ORMapSlot merged) => Filter(right, _leftContext, JoinOutcome.Right, out merged);

    public bool IsLive(ORMapSlot value) => true;

    /// <summary>Keeps the dots of a one-sided key that the other side has not seen; <see langword="null"/> when none survives.</summary>
    public static ORMapSlot? Survivors(ORMapSlot slot, CausalContext otherContext)
    {
        Dot[]? unseen = ElementDots.Unseen(slot.Dots, otherContext);
        return unseen is null ? null : ReferenceEquals(unseen, slot.Dots) ? slot : slot.Select(unseen, null);
    }

    private static JoinOutcome Filter(ORMapSlot slot, CausalContext otherContext, JoinOutcome unchanged, out ORMapSlot merged)
    {
        ORMapSlot? kept = Survivors(slot, otherContext);
        merged = kept ?? slot;
        return kept is null ? JoinOutcome.Drop : ReferenceEquals(kept, slot) ? unchanged : JoinOutcome.Merged;
    }
}
