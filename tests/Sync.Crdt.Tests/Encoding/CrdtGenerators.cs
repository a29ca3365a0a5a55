using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Maps;
using Sync.Crdt.Registers;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Tests.Encoding;

/// <summary>
/// CRDT states for encoding tests, built the way replicas build them: three replicas apply random operations
/// and merge each other's states (or deltas) at random, so states carry realistic contexts with gaps.
/// </summary>
internal static class CrdtGenerators
{
    private static readonly ReplicaId[] Replicas = ["a", "zürich", "東京"];

    /// <summary>A random operation script: (replica, kind, payload) triples.</summary>
    private static Gen<(int Replica, int Kind, int Payload)[]> Script =>
        Gen.Zip(Gen.Choose(0, 2), Gen.Choose(0, 9), (r, k) => (r, k))
            .Zip(Gen.Choose(-3, 400), (rk, p) => (rk.r, rk.k, p))
            .ArrayOf()
            .Select(a => a.Take(40).ToArray());

    public static Gen<GCounter> GCounter => Script.Select(script => Run(script, Sync.Crdt.Counters.GCounter.Empty, (s, r, k, p) => k < 8 ? s.Increment(Replicas[r], Math.Abs(p)) : s));

    public static Gen<PNCounter> PNCounter => Script.Select(script => Run(
        script,
        Sync.Crdt.Counters.PNCounter.Empty,
        (s, r, k, p) => k < 4 ? s.Increment(Replicas[r], Math.Abs(p)) : k < 8 ? s.Decrement(Replicas[r], Math.Abs(p)) : s));

    public static Gen<LWWRegister<string>> LWWRegister => Script.Select(script =>
    {
        var clock = new LamportClock();
        return Run(script, LWWRegister<string>.Empty, (s, r, k, p) => k < 8 ? s.Set(Replicas[r], "v" + p, clock) : s);
    });

    public static Gen<MVRegister<int>> MVRegister => Script.Select(script =>
        Run(script, MVRegister<int>.Empty, (s, r, k, p) => k < 6 ? s.Set(Replicas[r], p) : k < 7 ? s.Clear() : s));

    /// <summary>OR-sets of small strings: adds (re-adds give elements several dots after merges), removes, clears, merges.</summary>
    public static Gen<ORSet<string>> ORSet => Script.Select(script =>
        Run(script, ORSet<string>.Empty, (s, r, k, p) => k < 5 ? s.Add(Replicas[r], "e" + (Math.Abs(p) % 12)) : k < 7 ? s.Remove("e" + (Math.Abs(p) % 12)) : k < 8 && p % 7 == 0 ? s.Clear() : s));

    /// <summary>LWW maps with integer keys and string values (some null), deletes leaving tombstones.</summary>
    public static Gen<LWWMap<int, string?>> LWWMap => Script.Select(script =>
    {
        var clock = new LamportClock();
        return Run(script, LWWMap<int, string?>.Empty, (s, r, k, p) =>
            k < 5 ? s.Put(Replicas[r], p % 20, p % 9 == 0 ? null : "v" + p, clock) : k < 8 ? s.Remove(Replicas[r], p % 20, clock) : s);
    });

    /// <summary>Runs a script on three replicas: kinds 8 and 9 merge another replica's state in; returns replica 0 merged with a random subset.</summary>
    private static T Run<T>((int Replica, int Kind, int Payload)[] script, T empty, Func<T, int, int, int, T> apply)
        where T : IMergeable<T>
    {
        var states = new[] { empty, empty, empty };
        foreach ((int replica, int kind, int payload) in script)
        {
            states[replica] = kind >= 8
                ? states[replica].Merge(states[(replica + 1 + (kind - 8)) % 3])
                : apply(states[replica], replica, kind, payload);
        }

        return states[0];
    }

    /// <summary>An element of a nested type, for depth tests: an LWW register whose value is an MV register.</summary>
    public static LWWRegister<MVRegister<string>> Nested()
    {
        MVRegister<string> inner = MVRegister<string>.Empty.Set("a", "x").Merge(MVRegister<string>.Empty.Set("b", "y"));
        return LWWRegister<MVRegister<string>>.Create(new LWWTimestamp(3, "c"), inner);
    }

}
