using System.Globalization;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Maps;
using Sync.Crdt.Pruning;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Tests.Pruning;

/// <summary>
/// Why nested values inside an <see cref="ORMap{TKey, TValue}"/> are renamed and not folded (docs/pruning.md, Limits):
/// each scenario is one a fold of the removed replica's nested entries into one owner entry gets wrong (a lost count, a
/// resurrected key, a count of two lineages taken once); the renaming keeps every one exact. Every replica holds the
/// removed replica's last state before the prune (the precondition); the other replica cleans up its state and merges
/// the owner's pruned state, and its concurrent delta is cleaned up on receipt, as the replicator does.
/// </summary>
public class NestedPruningTests
{
    private static readonly ReplicaId Removed = "gone";
    private static readonly ReplicaId Owner = "o";

    private static ORMap<string, PNCounter> Add(ORMap<string, PNCounter> map, ReplicaId replica, long amount, out ORMap<string, PNCounter> delta) =>
        map.Update(replica, "k", (PNCounter c, ReplicaId r, out PNCounter d) => c.Increment(r, amount, out d), out delta);

    /// <summary>Prunes at the owner, then lets the other replica and its concurrent delta meet the pruned state.</summary>
    private static (ORMap<string, PNCounter> Owner, ORMap<string, PNCounter> Other) Prune(ORMap<string, PNCounter> owner, ORMap<string, PNCounter> other, ORMap<string, PNCounter> concurrentDelta)
    {
        ReplicaPruning plan = owner.PlanPruning(Removed, Owner)!;
        ORMap<string, PNCounter> pruned = owner.PruneReplica(plan);
        ORMap<string, PNCounter> cleaned = other.CleanUpPrunedReplica(plan).Merge(pruned);
        pruned = pruned.Merge(concurrentDelta.CleanUpPrunedReplica(plan));
        Assert.Equal(pruned, cleaned);
        Assert.Null(pruned.PlanPruning(Removed, Owner));
        return (pruned, cleaned);
    }

    [Fact]
    public void ConcurrentUpdate_ThatCopiedTheRemovedReplicasCount_KeepsItOnce()
    {
        // A fold into the owner's entry in place loses the 3: c's update replaces the dot that would carry it.
        ORMap<string, PNCounter> start = Add(ORMap<string, PNCounter>.Empty, Removed, 3, out _);
        ORMap<string, PNCounter> other = Add(start, "c", 1, out ORMap<string, PNCounter> delta);
        (ORMap<string, PNCounter> owner, _) = Prune(start, other, delta);
        Assert.Equal(4, owner["k"].Value);
    }

    [Fact]
    public void ConcurrentRemove_OfAKeyTheRemovedReplicaWrote_StaysRemoved()
    {
        // A fold carried by a new owner update survives the remove that did not observe it: the key would come back.
        ORMap<string, PNCounter> start = Add(ORMap<string, PNCounter>.Empty, Removed, 3, out _);
        ORMap<string, PNCounter> other = start.Remove("k", out ORMap<string, PNCounter> delta);
        (ORMap<string, PNCounter> owner, _) = Prune(start, other, delta);
        Assert.False(owner.ContainsKey("k"));
        Assert.True(owner.IsEmpty);
    }

    [Fact]
    public void TwoLineagesOfTheRemovedReplica_InConcurrentUpdates_BothCount()
    {
        // gone writes 3 (lineage gone#1); c copies it and adds 1; gone, not having seen c's update, removes the key and
        // writes 5 (lineage gone#2). Both updates survive: 3 + 1 + 5. Folding each update's entries of gone into one
        // entry gives max(3, 5) + 1.
        ORMap<string, PNCounter> gone = Add(ORMap<string, PNCounter>.Empty, Removed, 3, out _);
        ORMap<string, PNCounter> c = Add(gone, "c", 1, out _);
        gone = Add(gone.Remove("k"), Removed, 5, out _);
        ORMap<string, PNCounter> all = gone.Merge(c);
        Assert.Equal(9, all["k"].Value);
        (ORMap<string, PNCounter> owner, _) = Prune(all, all, ORMap<string, PNCounter>.Empty);
        Assert.Equal(9, owner["k"].Value);
        Assert.Equal(3, owner["k"].Increments.Count); // c's entry and gone's two lineages, renamed under the owner
        Assert.DoesNotContain(owner["k"].Increments, entry => entry.Key.Value.StartsWith("gone", System.StringComparison.Ordinal));
    }

    [Fact]
    public void NestedSet_ConcurrentRemoveOfTheRemovedReplicasElement_StillRemovesIt()
    {
        var map = ORMap<string, ORSet<int>>.Empty;
        ORMap<string, ORSet<int>> start = map.Update(Removed, "k", (ORSet<int> s, ReplicaId r, out ORSet<int> d) => s.Add(r, 7, out d));
        ORMap<string, ORSet<int>> other = start.Update("c", "k", (ORSet<int> s, ReplicaId r, out ORSet<int> d) => s.Remove(7, out d), out ORMap<string, ORSet<int>> delta);
        ReplicaPruning plan = start.PlanPruning(Removed, Owner)!;
        ORMap<string, ORSet<int>> owner = start.PruneReplica(plan).Merge(delta.CleanUpPrunedReplica(plan));
        ORMap<string, ORSet<int>> cleaned = other.CleanUpPrunedReplica(plan).Merge(start.PruneReplica(plan));
        Assert.Equal(owner, cleaned);
        Assert.Empty(owner["k"]);
        Assert.Equal(string.Empty, string.Join(",", owner["k"].Order().Select(i => i.ToString(CultureInfo.InvariantCulture))));
    }
}
