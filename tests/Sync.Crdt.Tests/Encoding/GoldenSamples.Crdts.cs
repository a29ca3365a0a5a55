using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Registers;

namespace Sync.Crdt.Tests.Encoding;

/// <summary>Golden vectors of the CRDT types.</summary>
internal static partial class GoldenSamples
{
    /// <summary>Extra fuzz seeds (larger values) that are not pinned as golden files.</summary>
    internal static IEnumerable<GoldenSample> Fuzz()
    {
        yield return GoldenSample.Create("fuzz-mv-register-nested", CrdtGenerators.Nested());
        yield return GoldenSample.Create("fuzz-nullable", (int?)7);
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
    }
}
