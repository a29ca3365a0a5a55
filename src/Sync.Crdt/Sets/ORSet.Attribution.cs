using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Sets;

/// <content>Which replicas a state's add events come from (<see cref="IWriterAttribution{TSelf}"/>).</content>
public sealed partial class ORSet<T> : IWriterAttribution<ORSet<T>>
{
    /// <summary>
    /// Adds the replica of every event of this set's context that <paramref name="known"/>'s context lacks: new adds,
    /// and removals of adds <paramref name="known"/> has not seen. Element dots are part of the context, so they are
    /// covered. O((n + c) log m) for this context's n replicas and c cloud dots.
    /// </summary>
    /// <param name="known">The set to compare with; <see langword="null"/> means the empty set.</param>
    /// <param name="writers">Receives the replicas.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writers"/> is <see langword="null"/>.</exception>
    public void CollectNewWriters(ORSet<T>? known, ISet<ReplicaId> writers) => _context.CollectNewWriters(known?._context, writers);
}
