using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Maps;
using Sync.Crdt.Registers;
using Sync.Crdt.Sets;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Tests.Maps;

public class ORMapTests
{
    private static DeltaMutator<GCounter> Add(long amount) => ORMapPropertyTests.Increment(amount);

    [Fact]
    public void Update_AbsentKey_StartsFromEmpty_AndTheDeltaRebuildsTheResult()
    {
        ORMap<string, GCounter> cart = ORMap<string, GCounter>.Empty.Update("a", "apple", Add(2), out ORMap<string, GCounter> delta);

        Assert.Equal(2, cart["apple"].Value);
        Assert.Equal(["apple"], cart.Keys);
        EqualityAssert.Equal(cart, ORMap<string, GCounter>.Empty.Merge(delta));
        ORMap<string, GCounter> again = cart.Update("a", "apple", Add(3), out ORMap<string, GCounter> second);
        Assert.Equal(5, again["apple"].Value);
        EqualityAssert.Equal(again, cart.Merge(second));
        Assert.Single(again.EnumerateEntries());
    }

    [Fact]
    public void ConcurrentUpdates_OfOneKey_Join()
    {
        ORMap<string, GCounter> start = ORMap<string, GCounter>.Empty.Update("a", "apple", Add(1));
        ORMap<string, GCounter> a = start.Update("a", "apple", Add(2));
        ORMap<string, GCounter> b = start.Update("b", "apple", Add(10));

        ORMap<string, GCounter> merged = a.Merge(b);

        Assert.Equal(13, merged["apple"].Value);
        Assert.Equal(2, merged.EnumerateEntries().Count());
        ORMap<string, GCounter> collapsed = merged.Update("a", "apple", Add(1));
        Assert.Equal(14, collapsed["apple"].Value);
        Assert.Single(collapsed.EnumerateEntries());
    }

    [Fact]
    public void RemoveThenUpdate_StartsTheKeyAfresh_OnEveryReplica()
    {
        ORMap<string, GCounter> a = ORMap<string, GCounter>.Empty.Update("a", "apple", Add(5));
        ORMap<string, GCounter> b = a;

        a = a.Remove("apple", out ORMap<string, GCounter> removeDelta).Update("a", "apple", Add(1), out ORMap<string, GCounter> updateDelta);

        Assert.Equal(1, a["apple"].Value);
        Assert.Equal(1, b.Merge(a)["apple"].Value);
        Assert.Equal(1, b.Merge(updateDelta).Merge(removeDelta)["apple"].Value);
        Assert.Equal(1, b.Merge(removeDelta).Merge(updateDelta)["apple"].Value);
    }

    [Fact]
    public void ConcurrentUpdateAndRemove_TheUpdateSurvives_WithItsReplicasWholeValue()
    {
        ORMap<string, GCounter> start = ORMap<string, GCounter>.Empty.Update("a", "apple", Add(5));
        ORMap<string, GCounter> removed = start.Remove("apple");
        ORMap<string, GCounter> updated = start.Update("b", "apple", Add(1));

        ORMap<string, GCounter> merged = removed.Merge(updated);

        Assert.True(merged.ContainsKey("apple"));
        Assert.Equal(6, merged["apple"].Value);
        EqualityAssert.Equal(merged, updated.Merge(removed));
    }

    [Fact]
    public void ConcurrentUpdateAndRemove_OfANestedSet_KeepsTheUpdatersSet()
    {
        ORMap<string, ORSet<string>> start = ORMap<string, ORSet<string>>.Empty.Update("a", "fruit", AddTo("apple"));
        ORMap<string, ORSet<string>> removed = start.Remove("fruit");
        ORMap<string, ORSet<string>> updated = start.Update("b", "fruit", AddTo("pear"));

        ORSet<string> merged = removed.Merge(updated)["fruit"];

        Assert.Equal(["apple", "pear"], merged);
    }

    [Fact]
    public void ReAddAfterRemove_ConcurrentWithAnUpdate_LosesNoIncrement()
    {
        // The re-created value writes under a fresh nested id, so its count is not hidden by the old one's.
        ORMap<string, GCounter> start = ORMap<string, GCounter>.Empty.Update("a", "apple", Add(5));
        ORMap<string, GCounter> a = start.Remove("apple").Update("a", "apple", Add(1));
        ORMap<string, GCounter> b = start.Update("b", "apple", Add(1));

        Assert.Equal(7, a.Merge(b)["apple"].Value);
    }

    [Fact]
    public void ReAddAfterRemove_OfANestedSet_NeverAliasesTheOldSetsDots()
    {
        ORMap<string, ORSet<string>> start = ORMap<string, ORSet<string>>.Empty.Update("a", "k", AddTo("x"));
        ORMap<string, ORSet<string>> a = start.Remove("k").Update("a", "k", AddTo("y"));
        ORMap<string, ORSet<string>> b = start.Update("b", "k", AddTo("z"));

        ORMap<string, ORSet<string>> merged = a.Merge(b);

        Assert.Equal(["x", "y", "z"], merged["k"]);
        EqualityAssert.Equal(merged, b.Merge(a));
    }

    [Fact]
    public void NestedMutators_RunUnderTheLineagesReplicaId()
    {
        ReplicaId seen = default;
        ORMap<string, GCounter> map = ORMap<string, GCounter>.Empty.Update("r", "x", Add(1)).Update("r", "y", (GCounter c, ReplicaId r, out GCounter d) =>
        {
            seen = r;
            return c.Increment(r, 1, out d);
        });

        Assert.Equal(new ReplicaId("r#2"), seen);
        map = map.Update("r", "y", (GCounter c, ReplicaId r, out GCounter d) =>
        {
            seen = r;
            return c.Increment(r, 1, out d);
        });
        Assert.Equal(new ReplicaId("r#2"), seen);
        Assert.Equal(2, map["y"][new ReplicaId("r#2")]);
    }

    [Fact]
    public void NestedORMaps_UpdateAndMergeThroughTwoLevels()
    {
        static DeltaMutator<ORMap<string, GCounter>> Inner(string key, long amount) =>
            (ORMap<string, GCounter> m, ReplicaId r, out ORMap<string, GCounter> d) => m.Update(r, key, Add(amount), out d);

        var empty = ORMap<string, ORMap<string, GCounter>>.Empty;
        ORMap<string, ORMap<string, GCounter>> a = empty.Update("a", "alice", Inner("apple", 2), out ORMap<string, ORMap<string, GCounter>> delta);
        ORMap<string, ORMap<string, GCounter>> b = empty.Merge(delta).Update("b", "alice", Inner("pear", 1));

        ORMap<string, ORMap<string, GCounter>> merged = a.Merge(b);

        Assert.Equal(2, merged["alice"]["apple"].Value);
        Assert.Equal(1, merged["alice"]["pear"].Value);
        EqualityAssert.Equal(merged, b.Merge(a));
    }

    [Fact]
    public void NoOps_ReturnTheSameInstance_AndAnEmptyDelta()
    {
        ORMap<string, GCounter> map = ORMap<string, GCounter>.Empty.Update("a", "x", Add(1));

        Assert.Same(map, map.Update("a", "x", (GCounter c, ReplicaId r, out GCounter d) => c.Increment(r, 0, out d), out ORMap<string, GCounter> delta));
        Assert.True(delta.IsEmpty);
        Assert.True(delta.Context.IsEmpty);
        Assert.Same(map, map.Remove("absent", out ORMap<string, GCounter> removeDelta));
        Assert.True(removeDelta.Context.IsEmpty);
        ORMap<string, GCounter> cleared = map.Clear();
        Assert.Same(cleared, cleared.Clear());
        Assert.True(cleared.IsEmpty);
        Assert.False(cleared.Context.IsEmpty);
        Assert.Same(map, map.Merge(ORMap<string, GCounter>.Empty));
    }

    [Fact]
    public void Clear_RemovesWhatItSaw_AConcurrentUpdateSurvives()
    {
        ORMap<string, GCounter> start = ORMap<string, GCounter>.Empty.Update("a", "x", Add(1)).Update("a", "y", Add(1));
        ORMap<string, GCounter> cleared = start.Clear(out ORMap<string, GCounter> delta);
        ORMap<string, GCounter> other = start.Update("b", "y", Add(1));

        Assert.Equal(["y"], other.Merge(delta).Keys);
        Assert.Equal(["y"], cleared.Merge(other).Keys);
    }

    [Fact]
    public void BadInput_Throws_AndLeavesTheMapUnchanged()
    {
        ORMap<string, GCounter> map = ORMap<string, GCounter>.Empty.Update("a", "x", Add(1));
        ORMap<string, GCounter> copy = map;

        Assert.Throws<ArgumentException>(() => map.Update(default, "x", Add(1)));
        Assert.Throws<ArgumentNullException>(() => map.Update("a", null!, Add(1)));
        Assert.Throws<ArgumentNullException>(() => map.Update("a", "x", null!));
        Assert.Throws<InvalidOperationException>(() => map.Update("a", "x", (GCounter c, ReplicaId r, out GCounter d) => d = null!));
        Assert.Throws<ArgumentException>(() => map.Update(new string('r', ReplicaId.MaxLength), "y", Add(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.Update("a", "x", (GCounter c, ReplicaId r, out GCounter d) => c.Increment(r, -1, out d)));
        Assert.Throws<ArgumentNullException>(() => map.Remove(null!));
        Assert.Throws<ArgumentNullException>(() => map.Merge(null!));
        Assert.Throws<ArgumentException>(() => map.Merge(ORMap<string, GCounter>.CreateEmpty(StringComparer.OrdinalIgnoreCase).Update("b", "x", Add(1))));
        Assert.Throws<KeyNotFoundException>(() => map["absent"]);
        Assert.Same(copy, map);
        Assert.Equal(1, map["x"].Value);
        Assert.Single(map.EnumerateEntries());
    }

    [Fact]
    public void KeysWithoutDefaultOrder_NeedAComparer()
    {
        Assert.Throws<InvalidOperationException>(() => ORMap<object, GCounter>.Empty);
        ORMap<object, GCounter> map = ORMap<object, GCounter>.CreateEmpty(Comparer<object>.Create((x, y) => string.CompareOrdinal(x.ToString(), y.ToString())));
        Assert.Equal(1, map.Update("a", 7, Add(1))[7].Value);
    }

    [Fact]
    public void Create_FromEntriesInAnyOrder_RoundTripsAndValidates()
    {
        ORMap<string, GCounter> map = ORMap<string, GCounter>.Empty.Update("a", "x", Add(1)).Update("b", "y", Add(2))
            .Merge(ORMap<string, GCounter>.Empty.Update("c", "x", Add(4)));
        List<ORMapEntry<string, GCounter>> entries = map.EnumerateEntries().Reverse().ToList();

        EqualityAssert.Equal(map, ORMap<string, GCounter>.Create(entries, map.Context));
        Assert.Same(ORMap<string, GCounter>.Empty, ORMap<string, GCounter>.Create([], CausalContext.Empty));
        Dot foreign = new("z", 1);
        Assert.Throws<ArgumentException>(() => ORMap<string, GCounter>.Create([new ORMapEntry<string, GCounter>("q", foreign, 1, GCounter.Empty)], map.Context));
        Assert.Throws<ArgumentException>(() => ORMap<string, GCounter>.Create([entries[0], new ORMapEntry<string, GCounter>("other", entries[0].Dot, 1, GCounter.Empty)], map.Context));
        Assert.Throws<ArgumentException>(() => ORMap<string, GCounter>.Create([default], map.Context));
        Assert.Throws<ArgumentException>(() => new ORMapEntry<string, GCounter>("k", new Dot("a", 2), 3, GCounter.Empty));
        Assert.Throws<ArgumentException>(() => new ORMapEntry<string, GCounter>("k", new Dot("a", 2), 0, GCounter.Empty));
    }

    [Fact]
    public void Builder_Batch_EqualsTheSameOperations_AndItsDeltaGroupRebuildsIt()
    {
        ORMap<string, GCounter> start = ORMap<string, GCounter>.Empty.Update("b", "keep", Add(1)).Update("b", "drop", Add(1));
        ORMap<string, GCounter>.Builder builder = start.ToBuilder();

        Assert.True(builder.Update("a", "x", Add(2)));
        Assert.True(builder.Update("a", "x", Add(3)));
        Assert.True(builder.Remove("drop"));
        Assert.False(builder.Remove("drop"));
        Assert.False(builder.Update("a", "x", Add(0)));
        Assert.True(builder.TryGetValue("x", out GCounter? x) && x.Value == 5);
        Assert.Equal(2, builder.Count);

        ORMap<string, GCounter> expected = start.Update("a", "x", Add(2)).Update("a", "x", Add(3)).Remove("drop");
        EqualityAssert.Equal(expected, builder.ToImmutable());
        EqualityAssert.Equal(expected, start.Merge(builder.ToDelta()));
        Assert.Equal(["keep", "x"], builder.Select(e => e.Key));
        Assert.Same(start, start.ToBuilder().ToImmutable());
    }

    [Fact]
    public void Equality_IsStructural_AndHashesAgree()
    {
        ORMap<string, LWWRegister<string>> left = ORMap<string, LWWRegister<string>>.Empty.Update("a", "name", SetTo("ana", 1));
        ORMap<string, LWWRegister<string>> right = ORMap<string, LWWRegister<string>>.Empty.Update("a", "name", SetTo("ana", 1));

        EqualityAssert.Equal(left, right);
        EqualityAssert.NotEqual(left, left.Update("a", "name", SetTo("bob", 2)));
        EqualityAssert.NotEqual(left, left.Remove("name"));
        Assert.Contains("name=", left.ToString(), StringComparison.Ordinal);
    }

    private static DeltaMutator<ORSet<string>> AddTo(string element) => (ORSet<string> s, ReplicaId r, out ORSet<string> d) => s.Add(r, element, out d);

    private static DeltaMutator<LWWRegister<string>> SetTo(string value, long time) =>
        (LWWRegister<string> reg, ReplicaId r, out LWWRegister<string> d) => reg.Set(new LWWTimestamp(time, r), value, out d);
}
