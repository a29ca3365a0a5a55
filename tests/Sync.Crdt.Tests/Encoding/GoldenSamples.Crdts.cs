using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Maps;
using Sync.Crdt.Registers;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Tests.Encoding;

/// <summary>Golden vectors of the CRDT types.</summary>
internal static partial class GoldenSamples
{
    /// <summary>Extra fuzz seeds (larger values) that are not pinned as golden files.</summary>
    internal static IEnumerable<GoldenSample> Fuzz()
    {
        yield return GoldenSample.Create("fuzz-mv-register-nested", CrdtGenerators.Nested());
        yield return GoldenSample.Create("fuzz-nullable", (int?)7);
        var clock = new LamportClock();
        LWWMap<string, ORSet<string>> nested = LWWMap<string, ORSet<string>>.Empty
            .Put("a", "s", ORSet<string>.Empty.Add("a", "x").Add("b", "y"), clock)
            .Put("b", "t", ORSet<string>.Empty.Add("c", "z"), clock)
            .Remove("c", "s", clock);
        yield return GoldenSample.Create("fuzz-map-of-sets", nested);
        ORSet<string> large = ORSet<string>.Empty;
        for (int i = 0; i < 30; i++)
        {
            large = large.Add(i % 2 == 0 ? "a" : "b", "e" + (i % 17));
        }

        yield return GoldenSample.Create("fuzz-orset-large", large.Merge(ORSet<string>.Empty.Add("c", "e3").Remove("e3").Add("c", "e99")));
        yield return GoldenSample.Create("fuzz-lwwmap-nulls", LWWMap<int, string?>.Empty.Put(new LWWTimestamp(1, "a"), 1, null).Put(new LWWTimestamp(2, "b"), 2, "two").Remove(new LWWTimestamp(3, "c"), 1).Put(new LWWTimestamp(4, "a"), 3, null));
    }

    private static DeltaMutator<GCounter> Add(long amount) => (GCounter c, ReplicaId r, out GCounter d) => c.Increment(r, amount, out d);

    private static IEnumerable<GoldenSample> Crdts()
    {
        yield return GoldenSample.Create("gcounter-empty", GCounter.Empty);
        yield return GoldenSample.Create("gcounter", GCounter.Empty.Increment("a", 5).Increment("b", 3).Increment("東京", long.MaxValue - 8));
        yield return GoldenSample.Create("pncounter", PNCounter.Empty.Increment("a", 10).Decrement("b", 4).Decrement("a", 1));
        yield return GoldenSample.Create("lww-register-empty", LWWRegister<string>.Empty);
        yield return GoldenSample.Create("lww-register-string", LWWRegister<string>.Create(new LWWTimestamp(1_732_233_600_123, "device-7"), "hello"));
        yield return GoldenSample.Create("lww-register-guid", LWWRegister<System.Guid>.Create(new LWWTimestamp(0, "a"), System.Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8")));
        yield return GoldenSample.Create("mv-register-empty", MVRegister<string>.Empty);
        yield return GoldenSample.Create("mv-register-siblings", MVRegister<string>.Empty.Set("a", "from-a").Merge(MVRegister<string>.Empty.Set("b", "from-b").Set("b", "again-b")));
        MVRegister<int> cleared = MVRegister<int>.Empty.Set("a", 1).Set("a", 2);
        cleared.Clear(out MVRegister<int> clearDelta);
        yield return GoldenSample.Create("mv-register-clear-delta", clearDelta);
        MVRegister<int>.Empty.Set("a", 1).Merge(MVRegister<int>.Empty.Set("c", 5)).Set("b", 42, out MVRegister<int> setDelta);
        yield return GoldenSample.Create("mv-register-set-delta", setDelta);
        yield return GoldenSample.Create("lww-register-of-mv-register", CrdtGenerators.Nested());
        yield return GoldenSample.Create("orset-empty", ORSet<string>.Empty);
        ORSet<string> set = ORSet<string>.Empty.Add("a", "apple").Add("b", "banana").Add("a", "cherry");
        ORSet<string> concurrent = set.Merge(ORSet<string>.Empty.Add("c", "apple")).Remove("banana");
        yield return GoldenSample.Create("orset", concurrent);
        set.Add("b", "date", out ORSet<string> addDelta);
        yield return GoldenSample.Create("orset-add-delta", addDelta);
        set.Remove("apple", out ORSet<string> removeDelta);
        yield return GoldenSample.Create("orset-remove-delta", removeDelta);
        yield return GoldenSample.Create("orset-int", ORSet<int>.Empty.Add("a", -5).Add("a", 300).Add("b", 0));
        yield return GoldenSample.Create("lwwmap-empty", LWWMap<string, string>.Empty);
        LWWMap<string, string> map = LWWMap<string, string>.Empty
            .Put(new LWWTimestamp(10, "a"), "title", "Sync")
            .Put(new LWWTimestamp(11, "b"), "owner", "ana")
            .Put(new LWWTimestamp(12, "a"), "draft", "yes")
            .Remove(new LWWTimestamp(13, "b"), "draft");
        yield return GoldenSample.Create("lwwmap", map);
        map.Put(new LWWTimestamp(14, "c"), "title", "Sync.Crdt", out LWWMap<string, string> putDelta);
        yield return GoldenSample.Create("lwwmap-put-delta", putDelta);
        yield return GoldenSample.Create("ormap-empty", ORMap<string, GCounter>.Empty);
        ORMap<string, GCounter> cart = ORMap<string, GCounter>.Empty
            .Update("a", "apple", Add(2))
            .Update("a", "pear", Add(1))
            .Merge(ORMap<string, GCounter>.Empty.Update("b", "apple", Add(5)))
            .Remove("pear");
        yield return GoldenSample.Create("ormap-of-counters", cart);
        cart.Update("c", "fig", Add(3), out ORMap<string, GCounter> updateDelta);
        yield return GoldenSample.Create("ormap-update-delta", updateDelta);
        cart.Remove("apple", out ORMap<string, GCounter> mapRemoveDelta);
        yield return GoldenSample.Create("ormap-remove-delta", mapRemoveDelta);
        ORMap<string, ORMap<int, ORSet<string>>> board = ORMap<string, ORMap<int, ORSet<string>>>.Empty
            .Update("a", "todo", (ORMap<int, ORSet<string>> m, ReplicaId r, out ORMap<int, ORSet<string>> d) =>
                m.Update(r, 1, (ORSet<string> s, ReplicaId r2, out ORSet<string> d2) => s.Add(r2, "write docs", out d2), out d));
        yield return GoldenSample.Create("ormap-nested", board);
        yield return GoldenSample.Create("lwwmap-guid-to-int64", LWWMap<System.Guid, long>.Empty.Put(new LWWTimestamp(1, "a"), System.Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), long.MinValue));
        yield return GoldenSample.Create("ormap-of-pncounters", Conformance.ORMapOfCountersConformance.Sample);
        yield return GoldenSample.Create("ormap-of-int-sets", Conformance.ORMapOfSetsConformance.Sample);
    }
}
