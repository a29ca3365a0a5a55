using System;
using System.Globalization;
using System.Text.Json;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Encoding.Json;
using Sync.Crdt.Maps;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Benchmarks.Encoding;

/// <summary>The encoded shapes the wire-format benchmarks measure.</summary>
public enum EncodedShape
{
    /// <summary>A G-counter with one entry per replica.</summary>
    GCounter,

    /// <summary>A PN-counter with increments and decrements from every replica.</summary>
    PNCounter,

    /// <summary>An OR-set of strings added by three replicas, with concurrent re-adds and removes.</summary>
    ORSet,

    /// <summary>An LWW map of string keys to string values written by three replicas, 1% tombstones.</summary>
    LWWMap,
}

/// <summary>Builds realistic values of each shape, and encodes them, for the benchmarks and the size column.</summary>
public static class EncodingSamples
{
    /// <summary>The JSON options with the Sync.Crdt converters.</summary>
    public static readonly JsonSerializerOptions Json = new JsonSerializerOptions().AddSyncCrdt();

    private static readonly ReplicaId[] Replicas = ["replica-a", "replica-b", "replica-c"];

    /// <summary>Builds a value of <paramref name="shape"/> with <paramref name="entries"/> entries.</summary>
    public static object Create(EncodedShape shape, int entries) => shape switch
    {
        EncodedShape.GCounter => CreateGCounter(entries),
        EncodedShape.PNCounter => CreatePNCounter(entries),
        EncodedShape.ORSet => CreateORSet(entries),
        EncodedShape.LWWMap => CreateLWWMap(entries),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    /// <summary>Encodes <paramref name="value"/> in the binary format.</summary>
    public static byte[] Binary(object value) => value switch
    {
        GCounter g => CrdtSerializer.SerializeToBytes(g),
        PNCounter p => CrdtSerializer.SerializeToBytes(p),
        ORSet<string> s => CrdtSerializer.SerializeToBytes(s),
        LWWMap<string, string> m => CrdtSerializer.SerializeToBytes(m),
        _ => throw new ArgumentException("Unknown shape.", nameof(value)),
    };

    /// <summary>Encodes <paramref name="value"/> as UTF-8 JSON.</summary>
    public static byte[] JsonBytes(object value) => JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), Json);

    private static string Id(string prefix, int i) => prefix + i.ToString("D6", CultureInfo.InvariantCulture);

    private static GCounter CreateGCounter(int entries)
    {
        var dots = new Dot[entries];
        for (int i = 0; i < entries; i++)
        {
            dots[i] = new Dot(Id("node-", i), 1 + ((i * 7919L) % 100_000));
        }

        return GCounter.Create(VersionVector.Create(dots));
    }

    private static PNCounter CreatePNCounter(int entries)
    {
        GCounter increments = CreateGCounter(entries);
        var dots = new Dot[entries / 2];
        for (int i = 0; i < dots.Length; i++)
        {
            dots[i] = new Dot(Id("node-", i * 2), 1 + (i % 1000));
        }

        return PNCounter.Create(increments, GCounter.Create(VersionVector.Create(dots)));
    }

    private static ORSet<string> CreateORSet(int entries)
    {
        // Immutable operations rather than builders: a builder also accumulates its delta, which these
        // samples do not need.
        ORSet<string>[] replicas = [ORSet<string>.Empty, ORSet<string>.Empty, ORSet<string>.Empty];
        for (int i = 0; i < entries; i++)
        {
            replicas[i % 3] = replicas[i % 3].Add(Replicas[i % 3], Id("element-", i));
        }

        ORSet<string> merged = replicas[0].Merge(replicas[1]).Merge(replicas[2]);
        for (int i = 0; i < entries / 100; i++)
        {
            merged = merged.Add(Replicas[(i + 1) % 3], Id("element-", i * 97 % entries));
            merged = merged.Remove(Id("element-", (i * 89 + 1) % entries));
        }

        return merged;
    }

    private static LWWMap<string, string> CreateLWWMap(int entries)
    {
        var clock = new LamportClock();
        LWWMap<string, string> map = LWWMap<string, string>.Empty;
        for (int i = 0; i < entries; i++)
        {
            map = map.Put(Replicas[i % 3], Id("key-", i), Id("value-", i), clock);
        }

        for (int i = 0; i < entries / 100; i++)
        {
            map = map.Remove(Replicas[i % 3], Id("key-", i * 97 % entries), clock);
        }

        return map;
    }
}
