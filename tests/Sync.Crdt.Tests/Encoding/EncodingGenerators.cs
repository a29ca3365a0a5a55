using System;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Tests.Encoding;

/// <summary>Generators for encoding tests: replica ids with non-ASCII text, counters across the whole 64-bit range.</summary>
internal static class EncodingGenerators
{
    public static readonly ReplicaId[] Replicas = ["a", "b", "node-17", "zürich", "東京", "\U0001F600emoji", new string('x', ReplicaId.MaxLength), "\uE000private"];

    public static Gen<ReplicaId> Replica => Gen.Elements(Replicas);

    /// <summary>Counters biased to varint length boundaries and the extremes.</summary>
    public static Gen<long> Counter => Gen.OneOf(
        Gen.Choose(1, 300).Select(i => (long)i),
        Gen.Elements(127L, 128L, 16383L, 16384L, (1L << 35) - 1, 1L << 56, long.MaxValue - 1, long.MaxValue),
        Gen.Choose(0, int.MaxValue).Select(i => ((long)i << 31) + 1));

    public static Gen<Dot> Dot => Gen.Zip(Replica, Counter).Select(t => new Dot(t.Item1, t.Item2));

    public static Gen<VersionVector> Vector =>
        Gen.ListOf(Dot).Select(dots => VersionVector.Create(dots.GroupBy(d => d.Replica).Select(g => g.First())));

    public static Gen<CausalContext> Context =>
        Gen.Zip(Vector, Gen.ListOf(Gen.Zip(Replica, Gen.Choose(1, 40)).Select(t => new Dot(t.Item1, t.Item2))))
            .Select(t => CausalContext.Create(t.Item1, t.Item2));

    public static Gen<LWWTimestamp> Timestamp =>
        Gen.Zip(Gen.OneOf(Counter, Gen.Constant(0L)), Replica).Select(t => new LWWTimestamp(t.Item1, t.Item2));

    public static Gen<string> Text => Gen.OneOf(
        Gen.Elements(string.Empty, "a", "héllo", "東京", "\U0001F600", "\uFFFF\uE000", new string('q', 200)),
        ArbMap.Default.GeneratorFor<string>().Where(s => s is not null && IsValidUtf16(s)));

    private static bool IsValidUtf16(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }
}
