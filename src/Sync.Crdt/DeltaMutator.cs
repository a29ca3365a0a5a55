using Sync.Crdt.Causality;

namespace Sync.Crdt;

/// <summary>
/// A local update in the delta convention of Sync.Crdt's types: returns the new value and, through
/// <paramref name="delta"/>, the delta that produced it, so that <c>current.Merge(delta)</c> equals the returned value.
/// Most mutators are one call to a type's <c>Op(replica, args, out delta)</c> overload, for example
/// <c>(GCounter c, ReplicaId me, out GCounter d) =&gt; c.Increment(me, 1, out d)</c>.
/// </summary>
/// <remarks>
/// Replication runs mutators with the replica's own id (so code never uses a stale id after a restore), and a
/// map of nested CRDTs runs a value's mutator on the value under one key. A mutator must not change
/// <paramref name="current"/> (values are immutable) and must return <paramref name="current"/> itself, with an empty
/// delta, when it changes nothing.
/// </remarks>
/// <typeparam name="T">The CRDT type.</typeparam>
/// <param name="current">The replica's current value.</param>
/// <param name="replica">The id the update must be made under (the replicator's own id).</param>
/// <param name="delta">The delta of the update: a small value of the same type.</param>
/// <returns>The new value; <paramref name="current"/> itself when the update changes nothing.</returns>
public delegate T DeltaMutator<T>(T current, ReplicaId replica, out T delta)
    where T : class, IMergeable<T>;
