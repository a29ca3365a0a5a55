using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>
/// A CRDT value of any <see cref="IMergeable{T}"/> type, with its type erased so that one replicator and one
/// message can carry values of different types side by side (a counter, a set and a map under different keys).
/// </summary>
/// <remarks>
/// <para>Create instances with <see cref="Create{T}(T)"/>; the only implementation is
/// <see cref="ReplicatedValue{T}"/>. Two replicated values can be merged only when they wrap the same
/// <see cref="ValueType"/>; the replicator checks this before it changes anything and rejects a message that
/// would merge different types under one key with a <see cref="ReplicationProtocolException"/>.</para>
/// <para><b>Equality</b> is the wrapped values' equality (and equal types); hash codes agree with it.
/// Immutable and thread-safe when the wrapped value is (every Sync.Crdt type is).</para>
/// </remarks>
[Immutable]
public abstract class ReplicatedValue : IEquatable<ReplicatedValue>
{
    private protected ReplicatedValue()
    {
    }

    /// <summary>Gets the runtime type of the wrapped CRDT value.</summary>
    public abstract Type ValueType { get; }

    /// <summary>Gets the wrapped CRDT value, boxed as an object.</summary>
    public abstract object BoxedValue { get; }

    /// <summary>Wraps a CRDT value.</summary>
    /// <typeparam name="T">The CRDT type.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The wrapper.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    public static ReplicatedValue<T> Create<T>(T value)
        where T : class, IMergeable<T> => new(value);

    /// <summary>Returns <see langword="true"/> when both wrap equal values of the same type.</summary>
    /// <param name="other">The value to compare with.</param>
    /// <returns>Whether the values are equal.</returns>
    public bool Equals([NotNullWhen(true)] ReplicatedValue? other) =>
        other is not null && (ReferenceEquals(this, other) || (ValueType == other.ValueType && BoxedValue.Equals(other.BoxedValue)));

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as ReplicatedValue);

    /// <summary>Returns the wrapped value's hash code.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => BoxedValue.GetHashCode();

    /// <summary>Returns the wrapped value's text form.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => BoxedValue.ToString() ?? ValueType.Name;

    /// <summary>Joins this value with <paramref name="other"/>, which must wrap the same type.</summary>
    internal abstract ReplicatedValue Merge(ReplicatedValue other);

    /// <summary>
    /// Adds the writers of the causal information this value carries beyond <paramref name="known"/> (see
    /// <see cref="IWriterAttribution{TSelf}"/>); a value whose type does not implement it is attributed as a whole to
    /// <paramref name="sender"/> when it adds anything to <paramref name="known"/>.
    /// </summary>
    internal abstract void CollectNewWriters(ReplicatedValue? known, ReplicaId sender, ISet<ReplicaId> writers);
    /// <summary>Plans a removed-replica prune of the value (the owner's copy); null when it holds nothing of it or is not prunable.</summary>
    internal abstract Sync.Crdt.Pruning.ReplicaPruning? PlanPruning(Sync.Crdt.Causality.ReplicaId removed, Sync.Crdt.Causality.ReplicaId owner);

    /// <summary>Prunes (the owner's copy) or cleans up (any other copy) with a plan; this instance when nothing changed.</summary>
    internal abstract ReplicatedValue Prune(Sync.Crdt.Pruning.ReplicaPruning plan, bool owner);
}
