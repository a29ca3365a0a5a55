namespace Sync.Crdt.Collections;

/// <summary>How a set or map merge visits its inputs; <see cref="Auto"/> everywhere but in tests that compare the strategies.</summary>
internal enum MergeStrategy
{
    /// <summary>Point updates when one side is much smaller, otherwise a merge-join.</summary>
    Auto,

    /// <summary>Always a merge-join of both trees.</summary>
    Join,

    /// <summary>Always point updates of the smaller side into the larger.</summary>
    PointUpdates,
}
