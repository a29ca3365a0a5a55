namespace Sync.Crdt.Collections;

/// <summary>What a <see cref="ISortedTreeJoiner{TValue}"/> decided for one key of a merge-join.</summary>
internal enum JoinOutcome
{
    /// <summary>The key is absent from the result.</summary>
    Drop,

    /// <summary>The result keeps the left entry unchanged.</summary>
    Left,

    /// <summary>The result keeps the right entry unchanged.</summary>
    Right,

    /// <summary>Both entries are present and equal; the result keeps the left one, and neither side changed.</summary>
    Same,

    /// <summary>The result holds a new value (the <c>out</c> value of the joiner).</summary>
    Merged,
}
