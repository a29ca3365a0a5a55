using System;
using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Tests.Encoding;

/// <summary>
/// Every golden vector. A sample, once released, is never changed or removed: its file pins the bytes this
/// release writes, and files of older format versions must keep decoding to the same value.
/// </summary>
internal static partial class GoldenSamples
{
    private static readonly Lazy<IReadOnlyList<GoldenSample>> LazyAll = new(() => [.. Scalars(), .. Causality(), .. Crdts()]);

    public static IReadOnlyList<GoldenSample> All => LazyAll.Value;

    public static GoldenSample Named(string name) => All.Single(s => s.Name == name);

    private static IEnumerable<GoldenSample> Scalars()
    {
        yield return GoldenSample.Create("string-ascii", "hello");
        yield return GoldenSample.Create("string-unicode", "zürich 東京 \U0001F600");
        yield return GoldenSample.Create("string-empty", string.Empty);
        yield return GoldenSample.Create("bool-true", true);
        yield return GoldenSample.Create("int32-negative", -123456);
        yield return GoldenSample.Create("int64-min", long.MinValue);
        yield return GoldenSample.Create("uint64-max", ulong.MaxValue);
        yield return GoldenSample.Create("uint16", (ushort)513);
        yield return GoldenSample.Create("sbyte", (sbyte)-7);
        yield return GoldenSample.Create("guid", Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"));
        yield return GoldenSample.Create("double-pi", Math.PI);
        yield return GoldenSample.Create("double-negative-zero", -0.0);
        yield return GoldenSample.Create("bytes", new byte[] { 0, 1, 0x7f, 0x80, 0xff }, comparer: ByteArrayComparer.Instance);
        yield return GoldenSample.Create("datetimeoffset", new DateTimeOffset(2026, 11, 21, 23, 40, 0, TimeSpan.FromMinutes(330)).AddTicks(1));
    }

    private static IEnumerable<GoldenSample> Causality()
    {
        yield return GoldenSample.Create("replica-id", new ReplicaId("device-42"));
        yield return GoldenSample.Create("dot", new Dot("node-a", 300));
        yield return GoldenSample.Create("lww-timestamp", new LWWTimestamp(1_732_233_600_000, "zürich"));
        yield return GoldenSample.Create("version-vector-empty", VersionVector.Empty);
        yield return GoldenSample.Create("version-vector", VersionVector.Create(new Dot("a", 3), new Dot("b", 300), new Dot("東京", long.MaxValue)));
        yield return GoldenSample.Create("causal-context-compact", CausalContext.Create(VersionVector.Create(new Dot("x", 9))));
        yield return GoldenSample.Create("causal-context-cloud", CausalContext.Create(
            VersionVector.Create(new Dot("a", 2), new Dot("b", 1)),
            [new Dot("a", 5), new Dot("a", 6), new Dot("c", 3), new Dot("b", 4)]));
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x is not null && y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
