namespace Sync.Crdt.Causality;

/// <summary>How two causal histories (version vectors) relate.</summary>
public enum VectorOrdering
{
    /// <summary>Both histories hold exactly the same events.</summary>
    Equal = 0,

    /// <summary>The first history is a strict subset of the second: it happened before.</summary>
    Before = 1,

    /// <summary>The first history is a strict superset of the second: it happened after.</summary>
    After = 2,

    /// <summary>Each history holds an event the other lacks: they diverged and must be merged.</summary>
    Concurrent = 3,
}
