using Sync.Crdt.Causality;

namespace Sync.Crdt.Testing;

/// <summary>
/// Applies one generated operation at a replica: returns the new state and, in <paramref name="delta"/>, the
/// mutation's delta (a value of the same type with <c>state ⊔ delta = result</c>; the state itself when the type has
/// no smaller delta). The shape of <see cref="DeltaMutator{T}"/> with the operation as an argument.
/// </summary>
/// <typeparam name="T">The state type.</typeparam>
/// <typeparam name="TOp">The operation type.</typeparam>
/// <param name="state">The replica's state before the operation.</param>
/// <param name="replica">The acting replica.</param>
/// <param name="operation">The generated operation.</param>
/// <param name="delta">The mutation's delta.</param>
/// <returns>The state after the operation.</returns>
public delegate T CrdtMutation<T, in TOp>(T state, ReplicaId replica, TOp operation, out T delta);
