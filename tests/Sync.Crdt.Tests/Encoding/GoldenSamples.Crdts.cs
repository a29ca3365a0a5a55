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
            .Put("s", ORSet<string>.Empty.Add("a", "x").Add("b", "y"), "a", clock)
            .Put("t", ORSet<string>.Empty.Add("c", "z"), "b", clock)
            .Remove("s", "c", clock);
        yield return GoldenSample.Create("fuzz-map-of-sets", nested);
        ORSet<string> large = ORSet<string>.Empty;
        for (int i = 0; i < 30; i++)
        {
            large = large.Add(i % 2 == 0 ? "a" : "b", "e" + (i % 17));
        }

        yield return GoldenSample.Create("fuzz-orset-large", large.Merge(ORSet<string>.Empty.Add("c", "e3").Remove("e3").Add("c", "e99")));
        yield return GoldenSample.Create("fuzz-lwwmap-nulls", LWWMap<int, string?>.Empty.Put(1, null, new LwwTimestamp(1, "a")).Put(2, "two", new LwwTimestamp(2, "b")).Remove(1, new LwwTimestamp(3, "c")).Put(3, null, new LwwTimestamp(4, "a")));
    }

    private static IEnumerable<GoldenSample> Crdts()
    {
        yield return GoldenSample.Create("gcounter-empty", GCounter.Empty);
        yield return GoldenSample.Create("gcounter", GCounter.Empty.Increment("a", 5).Increment("b", 3).Increment("東京", long.MaxValue - 8));
        yield return GoldenSample.Create("pncounter", PNCounter.Empty.Increment("a", 10).Decrement("b", 4).Decrement("a", 1));
        yield return GoldenSample.Create("lww-register-empty", LWWRegister<string>.Empty);
        yield return GoldenSample.Create("lww-register-string", LWWRegister<string>.Create("hello", new LwwTimestamp(1_732_233_600_123, "device-7")));
        yield return GoldenSample.Create("lww-register-guid", LWWRegister<System.Guid>.Create(System.Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), new LwwTimestamp(0, "a")));
        yield return GoldenSample.Create("mv-register-empty", MVRegister<string>.Empty);
        yield return GoldenSample.Create("mv-register-siblings", MVRegister<string>.Empty.Set("from-a", "a").Merge(MVRegister<string>.Empty.Set("from-b", "b").Set("again-b", "b")));
        MVRegister<int> cleared = MVRegister<int>.Empty.Set(1, "a").Set(2, "a");
        cleared.Clear(out MVRegister<int> clearDelta);
        yield return GoldenSample.Create("mv-register-clear-delta", clearDelta);
        MVRegister<int>.Empty.Set(1, "a").Merge(MVRegister<int>.Empty.Set(5, "c")).Set(42, "b", out MVRegister<int> setDelta);
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
            .Put("title", "Sync", new LwwTimestamp(10, "a"))
            .Put("owner", "ana", new LwwTimestamp(11, "b"))
            .Put("draft", "yes", new LwwTimestamp(12, "a"))
            .Remove("draft", new LwwTimestamp(13, "b"));
        yield return GoldenSample.Create("lwwmap", map);
        map.Put("title", "Sync.Crdt", new LwwTimestamp(14, "c"), out LWWMap<string, string> putDelta);
        yield return GoldenSample.Create("lwwmap-put-delta", putDelta);
        yield return GoldenSample.Create("lwwmap-guid-to-int64", LWWMap<System.Guid, long>.Empty.Put(System.Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), long.MinValue, new LwwTimestamp(1, "a")));
    }
}
