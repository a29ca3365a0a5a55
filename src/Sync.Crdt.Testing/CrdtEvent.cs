using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Testing;

/// <summary>
/// One operation of a generated history, as a model sees it: where it ran, what it was, and which earlier
/// operations its replica had seen when it ran (its causal past). Models compute the expected observable value
/// from a list of events, so they can express concurrent semantics (add-wins, multi-value, last-writer-wins).
/// </summary>
/// <typeparam name="TOp">The operation type.</typeparam>
/// <remarks>Immutable.</remarks>
public sealed class CrdtEvent<TOp>
{
    internal CrdtEvent(int index, ReplicaId replica, TOp operation, IReadOnlySet<int> causalPast)
    {
        Index = index;
        Replica = replica;
        Operation = operation;
        CausalPast = causalPast;
    }

    /// <summary>The event's position in the history (0-based; a causal order).</summary>
    public int Index { get; }

    /// <summary>The replica that applied the operation.</summary>
    public ReplicaId Replica { get; }

    /// <summary>The operation.</summary>
    public TOp Operation { get; }

    /// <summary>The indexes of the events the replica had seen when it applied this one (transitively closed).</summary>
    public IReadOnlySet<int> CausalPast { get; }

    /// <summary>Whether <paramref name="other"/> happened before this event (was in its causal past). O(1).</summary>
    /// <param name="other">The other event.</param>
    /// <returns><see langword="true"/> when this event's replica had seen <paramref name="other"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public bool Saw(CrdtEvent<TOp> other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return CausalPast.Contains(other.Index);
    }

    /// <inheritdoc/>
    public override string ToString() => "#" + Index + " " + Replica + ": " + Internal.Display.Format(Operation);
}
