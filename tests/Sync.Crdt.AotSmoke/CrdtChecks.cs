using System;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Encoding.Json;
using Sync.Crdt.Maps;
using Sync.Crdt.Registers;
using Sync.Crdt.Sets;

namespace Sync.Crdt.AotSmoke;

/// <summary>Every CRDT type: the golden samples of the JIT-compiled tests, rebuilt and encoded here, and two replicas merged.</summary>
internal static class CrdtChecks
{
    private static readonly ReplicaId A = "a";
    private static readonly ReplicaId B = "b";
    private static readonly ReplicaId C = "c";

    public static void Run(SmokeCheck smoke)
    {
        Counters(smoke);
        Registers(smoke);
        Sets(smoke);
        Maps(smoke);
        Nested(smoke);
    }

    private static void Counters(SmokeCheck smoke)
    {
        GCounter counter = GCounter.Empty.Increment(A, 5).Increment(B, 3).Increment("東京", long.MaxValue - 8);
        smoke.RoundTrip("GCounter", counter, "gcounter");
        smoke.Converges("GCounter", GCounter.Empty.Increment(A, 2), GCounter.Empty.Increment(B, 3).Increment(A, 1));
        smoke.Expect(GCounter.Empty.Increment(A, 2).Merge(GCounter.Empty.Increment(B, 3)).Value == 5, "GCounter: merged value");

        PNCounter pn = PNCounter.Empty.Increment(A, 10).Decrement(B, 4).Decrement(A, 1);
        smoke.RoundTrip("PNCounter", pn, "pncounter");
        smoke.Converges("PNCounter", PNCounter.Empty.Increment(A, 2), PNCounter.Empty.Decrement(B, 7));
    }

    private static void Registers(SmokeCheck smoke)
    {
        smoke.RoundTrip("LWWRegister<string>", LWWRegister<string>.Create(new LWWTimestamp(1_732_233_600_123, "device-7"), "hello"), "lww-register-string");
        smoke.RoundTrip("LWWRegister<Guid>", LWWRegister<Guid>.Create(new LWWTimestamp(0, A), Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8")), "lww-register-guid");
        var clock = new HybridLogicalClock();
        LWWRegister<string> first = LWWRegister<string>.Empty.Set(A, "first", clock);
        LWWRegister<string> second = first.Set(B, "second", clock);
        smoke.Converges("LWWRegister<string>", first, second);
        smoke.Expect(first.Merge(second).Value == "second", "LWWRegister: the later write wins");

        MVRegister<string> siblings = MVRegister<string>.Empty.Set(A, "from-a").Merge(MVRegister<string>.Empty.Set(B, "from-b").Set(B, "again-b"));
        smoke.RoundTrip("MVRegister<string>", siblings, "mv-register-siblings");
        smoke.Converges("MVRegister<int>", MVRegister<int>.Empty.Set(A, 1), MVRegister<int>.Empty.Set(C, 5));
        smoke.Expect(siblings.HasConflict && siblings.Count == 2, "MVRegister: concurrent writes are siblings");
    }

    private static void Sets(SmokeCheck smoke)
    {
        ORSet<string> set = ORSet<string>.Empty.Add(A, "apple").Add(B, "banana").Add(A, "cherry");
        ORSet<string> concurrent = set.Merge(ORSet<string>.Empty.Add(C, "apple")).Remove("banana");
        smoke.RoundTrip("ORSet<string>", concurrent, "orset");
        set.Add(B, "date", out ORSet<string> addDelta);
        smoke.RoundTrip("ORSet<string> add delta", addDelta, "orset-add-delta");
        smoke.RoundTrip("ORSet<int>", ORSet<int>.Empty.Add(A, -5).Add(A, 300).Add(B, 0), "orset-int");
        ORSet<string> removed = set.Remove("apple");
        ORSet<string> readded = set.Add(B, "apple");
        smoke.Converges("ORSet<string>", removed, readded);
        smoke.Expect(removed.Merge(readded).Contains("apple"), "ORSet: a concurrent add wins over a remove");
    }

    private static void Maps(SmokeCheck smoke)
    {
        LWWMap<string, string> map = LWWMap<string, string>.Empty
            .Put(new LWWTimestamp(10, A), "title", "Sync")
            .Put(new LWWTimestamp(11, B), "owner", "ana")
            .Put(new LWWTimestamp(12, A), "draft", "yes")
            .Remove(new LWWTimestamp(13, B), "draft");
        smoke.RoundTrip("LWWMap<string, string>", map, "lwwmap");
        smoke.RoundTrip(
            "LWWMap<Guid, long>",
            LWWMap<Guid, long>.Empty.Put(new LWWTimestamp(1, A), Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), long.MinValue),
            "lwwmap-guid-to-int64");
        var clock = new LamportClock();
        LWWMap<string, long> left = LWWMap<string, long>.Empty.Put(A, "x", 1, clock);
        LWWMap<string, long> right = left.Put(B, "x", 2, clock).Put(B, "y", 3, clock);
        smoke.Converges("LWWMap<string, long>", left.Remove(A, "x", clock), right);

        DeltaMutator<GCounter> two = static (GCounter c, ReplicaId r, out GCounter d) => c.Increment(r, 2, out d);
        DeltaMutator<GCounter> one = static (GCounter c, ReplicaId r, out GCounter d) => c.Increment(r, 1, out d);
        DeltaMutator<GCounter> five = static (GCounter c, ReplicaId r, out GCounter d) => c.Increment(r, 5, out d);
        ORMap<string, GCounter> cart = ORMap<string, GCounter>.Empty.Update(A, "apple", two).Update(A, "pear", one)
            .Merge(ORMap<string, GCounter>.Empty.Update(B, "apple", five))
            .Remove("pear");
        smoke.RoundTrip("ORMap<string, GCounter>", cart, "ormap-of-counters");
        ORMap<string, GCounter> removedApple = cart.Remove("apple");
        ORMap<string, GCounter> moreApples = cart.Update(C, "apple", one);
        smoke.Converges("ORMap<string, GCounter>", removedApple, moreApples);
        smoke.Expect(removedApple.Merge(moreApples)["apple"].Value == 8, "ORMap: a concurrent update survives a remove with its value");
    }

    private static void Nested(SmokeCheck smoke)
    {
        // A CRDT as the value of another: its codec is registered, its converter added, both without reflection.
        MVRegister<string> inner = MVRegister<string>.Empty.Set(A, "x").Merge(MVRegister<string>.Empty.Set(B, "y"));
        LWWRegister<MVRegister<string>> nested = LWWRegister<MVRegister<string>>.Create(new LWWTimestamp(3, C), inner);
        CrdtSerializerOptions options = CrdtSerializerOptions.Default.WithCodec(CrdtCodecs.For<MVRegister<string>>());
        smoke.RoundTrip("LWWRegister<MVRegister<string>>", nested, "lww-register-of-mv-register", options, SmokeCheck.Json<LWWRegister<MVRegister<string>>>().AddSyncCrdt<MVRegister<string>>());
    }
}
