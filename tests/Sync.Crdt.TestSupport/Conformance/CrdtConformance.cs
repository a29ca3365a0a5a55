using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Testing;
using Xunit;

namespace Sync.Crdt.TestSupport.Conformance;

/// <summary>
/// The conformance suite every Sync.Crdt type inherits: the lattice facts of <see cref="LatticeConformance{T}"/>, run
/// on the states and deltas of generated histories, plus the delta laws (delta ⊑ state, delta ≡ full state),
/// convergence of replicas over a lossy, duplicating, reordering network, and the model check. A type supplies an
/// operation generator, how to apply an operation, a model of the observable value and a golden sample.
/// </summary>
/// <typeparam name="T">The CRDT type (generic types such as <c>ORMap&lt;TKey, TValue&gt;</c> subclass with closed arguments).</typeparam>
/// <typeparam name="TOp">The type's generated operation (a record whose ToString reads well in counterexamples).</typeparam>
public abstract class CrdtConformance<T, TOp> : LatticeConformance<T>
    where T : class, ICrdt<T>
{
    /// <summary>Generates operations.</summary>
    protected abstract CrdtGen<TOp> Operations { get; }

    /// <inheritdoc />
    protected override ICrdtValueCodec<T> Codec => CrdtCodecs.For<T>();

    [Fact]
    public void Deltas_JoinToTheMutatedState_AndEqualShippingFullStates() => Check.Run(CrdtLaws.Deltas);

    [Fact]
    public void Replicas_UnderLossDuplicationAndReordering_Converge() => Check.Run(CrdtLaws.Convergence);

    [Fact]
    public void Observable_MatchesTheModelOfTheOperationsSeen() => Check.Run(CrdtLaws.Model);

    /// <summary>Applies <paramref name="operation"/> at <paramref name="replica"/>, returning the new state and its delta.</summary>
    protected abstract T Apply(T state, ReplicaId replica, TOp operation, out T delta);

    /// <summary>The observable value of a state (compared with <see cref="Model"/>'s).</summary>
    protected abstract object? Observe(T state);

    /// <summary>The expected observable value of a state that has seen exactly <paramref name="seen"/> (in causal order).</summary>
    protected abstract object? Model(IReadOnlyList<CrdtEvent<TOp>> seen);

    /// <summary>Adjusts the check (iterations, history size) for an expensive type.</summary>
    protected virtual CrdtCheck<T> Configure(CrdtCheck<T> check) => check;

    /// <inheritdoc />
    protected sealed override CrdtCheck<T> CreateCheck() =>
        Configure(CrdtCheck.ForCrdt<T>()
            .WithOperations(CrdtOperations.Create<T, TOp>(Operations, Apply).WithModel(Observe, Model)));
}
