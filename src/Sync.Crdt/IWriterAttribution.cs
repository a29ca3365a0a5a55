using System.Collections.Generic;
using Sync.Crdt.Causality;

namespace Sync.Crdt;

/// <summary>
/// A CRDT value that can name the replicas whose causal information it carries beyond another state of the same
/// type: the writers of the dots, counter entries, vector entries and timestamped writes that the other state does
/// not already include. A sync server uses it to check that a client introduces new causal information only for
/// replica ids it owns (docs/sync-protocol.md, "Forged dots"), while re-sent information the server already holds is
/// accepted whoever wrote it.
/// </summary>
/// <typeparam name="TSelf">The implementing type itself.</typeparam>
/// <remarks>
/// <para><b>Contract.</b> For a state <c>x</c> and a state <c>known</c> of the same type,
/// <c>x.CollectNewWriters(known, writers)</c> adds (at least) every replica <c>r</c> such that <c>known.Merge(x)</c>
/// holds causal information of <c>r</c> that <c>known</c> does not; it adds nothing when <c>known.Merge(x)</c> equals
/// <c>known</c> (re-sent information). Information the merge would discard (a dot <c>known</c> has seen and removed, a
/// write that loses against <c>known</c>'s) is not new. Nested values (an <see cref="Maps.ORMap{TKey, TValue}"/>'s)
/// are attributed to the replica whose update carries them.</para>
/// <para>Every Sync.Crdt type implements it: <see cref="Counters.GCounter"/>, <see cref="Counters.PNCounter"/>,
/// <see cref="Registers.LWWRegister{T}"/>, <see cref="Registers.MVRegister{T}"/>, <see cref="Sets.ORSet{T}"/>,
/// <see cref="Maps.LWWMap{TKey, TValue}"/>, <see cref="Maps.ORMap{TKey, TValue}"/>, <see cref="VersionVector"/> and
/// <see cref="CausalContext"/>. An application type should implement it too; where it does not, replication
/// attributes everything new in the value to the sender of the message as a whole. Found through a type test, never
/// reflection, so it works under trimming and native AOT.</para>
/// <para>Implementations are pure (they change neither state) and thread-safe; the cost is linear in the size of this
/// value plus logarithmic lookups into <c>known</c>.</para>
/// </remarks>
public interface IWriterAttribution<TSelf>
    where TSelf : class
{
    /// <summary>
    /// Adds to <paramref name="writers"/> every replica that has causal information in this value which
    /// <paramref name="known"/> does not include.
    /// </summary>
    /// <param name="known">The state to compare with; <see langword="null"/> means nothing is known (the bottom state).</param>
    /// <param name="writers">The set that receives the replicas; existing members are kept.</param>
    /// <exception cref="System.ArgumentNullException"><paramref name="writers"/> is <see langword="null"/>.</exception>
    void CollectNewWriters(TSelf? known, ISet<ReplicaId> writers);
}
