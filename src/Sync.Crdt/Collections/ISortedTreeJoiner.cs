namespace Sync.Crdt.Collections;

/// <summary>
/// The per-key policy of <see cref="SortedTree{TKey, TValue}.Join{TJoiner}(SortedTree{TKey, TValue}, TJoiner, int, int, out int)"/>: decides each key's entry in
/// the result from the entries of the two inputs. Implemented by structs, ideally non-generic ones (or generic over
/// value types only): the join loop then calls them directly instead of through a shared-generic lookup.
/// </summary>
/// <typeparam name="TValue">The value type.</typeparam>
internal interface ISortedTreeJoiner<TValue>
{
    /// <summary>Decides a key present on both sides.</summary>
    JoinOutcome Both(TValue left, TValue right, out TValue merged);

    /// <summary>Decides a key present only on the left; must not return <see cref="JoinOutcome.Right"/> or <see cref="JoinOutcome.Same"/>.</summary>
    JoinOutcome LeftOnly(TValue left, out TValue merged);

    /// <summary>Decides a key present only on the right; must not return <see cref="JoinOutcome.Left"/> or <see cref="JoinOutcome.Same"/>.</summary>
    JoinOutcome RightOnly(TValue right, out TValue merged);

    /// <summary>
    /// Returns whether a value counts towards the join's live count (for example: is not a tombstone). Asked only
    /// for keys whose entry changes, so it must be a pure function of the value.
    /// </summary>
    bool IsLive(TValue value);
}
