using Sync.Crdt.Causality;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Sets;

/// <summary>
/// The observed-remove join of two <see cref="ORSet{T}"/> dot indexes (dot to element): the same survival rule as
/// <see cref="ORSetJoiner{T}"/>, applied to each dot, so the joined index matches the joined entries.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
internal readonly struct DotIndexJoiner<T> : ISortedTreeJoiner<Dot, T>
{
    private readonly CausalContext _leftContext;
    private readonly CausalContext _rightContext;

    public DotIndexJoiner(CausalContext leftContext, CausalContext rightContext)
    {
        _leftContext = leftContext;
        _rightContext = rightContext;
    }

    // A dot names one add of one element, so both sides map it to the same element.
    public JoinOutcome Both(Dot key, T left, T right, out T merged)
    {
        merged = left;
        return JoinOutcome.Same;
    }

    public JoinOutcome LeftOnly(Dot key, T left, out T merged)
    {
        merged = left;
        return _rightContext.Contains(key) ? JoinOutcome.Drop : JoinOutcome.Left;
    }

    public JoinOutcome RightOnly(Dot key, T right, out T merged)
    {
        merged = right;
        return _leftContext.Contains(key) ? JoinOutcome.Drop : JoinOutcome.Right;
    }

    public bool IsLive(T value) => true;
}
