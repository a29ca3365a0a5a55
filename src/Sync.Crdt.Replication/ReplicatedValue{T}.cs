using System;
using System.Collections.Generic;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>A CRDT value of type <typeparamref name="T"/> wrapped for replication; see <see cref="ReplicatedValue"/>.</summary>
/// <typeparam name="T">The CRDT type.</typeparam>
/// <remarks>Immutable and thread-safe when <typeparamref name="T"/> is.</remarks>
[Immutable]
public sealed class ReplicatedValue<T> : ReplicatedValue
    where T : class, IMergeable<T>
{
    /// <summary>Wraps a CRDT value.</summary>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public ReplicatedValue(T value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Value = value;
    }

    /// <summary>Gets the wrapped value.</summary>
    public T Value { get; }

    /// <inheritdoc />
    public override Type ValueType => typeof(T);

    /// <inheritdoc />
    public override object BoxedValue => Value;

    /// <inheritdoc />
    internal override void CollectNewWriters(ReplicatedValue? known, ReplicaId sender, ISet<ReplicaId> writers)
    {
        T? held = (known as ReplicatedValue<T>)?.Value;
        if (Value is IWriterAttribution<T> attributed)
        {
            attributed.CollectNewWriters(held, writers);
        }
        else if (held is null || !ReferenceEquals(held.Merge(Value), held))
        {
            writers.Add(sender);
        }
    }

    /// <summary>Joins with another wrapper of the same type; returns this instance when nothing changes.</summary>
    internal override ReplicatedValue Merge(ReplicatedValue other)
    {
        var typed = (ReplicatedValue<T>)other;
        T merged = Value.Merge(typed.Value);
        if (ReferenceEquals(merged, Value))
        {
            return this;
        }

        return ReferenceEquals(merged, typed.Value) ? typed : new ReplicatedValue<T>(merged);
    }

    internal override Sync.Crdt.Pruning.ReplicaPruning? PlanPruning(Sync.Crdt.Causality.ReplicaId removed, Sync.Crdt.Causality.ReplicaId owner) =>
        Value is Sync.Crdt.Pruning.IReplicaPrunable<T> prunable ? prunable.PlanPruning(removed, owner) : null;

    internal override ReplicatedValue Prune(Sync.Crdt.Pruning.ReplicaPruning plan, bool owner)
    {
        if (Value is not Sync.Crdt.Pruning.IReplicaPrunable<T> prunable)
        {
            return this;
        }

        T pruned = owner ? prunable.PruneReplica(plan) : prunable.CleanUpPrunedReplica(plan);
        return ReferenceEquals(pruned, Value) ? this : new ReplicatedValue<T>(pruned);
    }
}
