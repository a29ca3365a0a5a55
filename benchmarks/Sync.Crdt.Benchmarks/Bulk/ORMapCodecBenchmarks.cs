using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Benchmarks.Encoding;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Maps;

namespace Sync.Crdt.Benchmarks.Bulk;

/// <summary>
/// Whole-state binary decode and encode of a 100k-key <see cref="ORMap{TKey, TValue}"/> of G-counters (keys updated by
/// three replicas taking turns, 1% updated twice and 1% removed), each beside its floor in the same run: a flat parse
/// of the same bytes into arrays (<see cref="FlatORMapWire.Parse"/>, checking nothing but bounds) and the binary
/// encode of the same value; the <c>Ratio</c> column of <c>BinaryDecode</c> is its ratio to the flat parse.
/// </summary>
public class ORMapCodecBenchmarks
{
    private static readonly ReplicaId[] Replicas = ["replica-a", "replica-b", "replica-c"];
    private static readonly DeltaMutator<GCounter> Increment = static (GCounter c, ReplicaId r, out GCounter d) => c.Increment(r, 1, out d);
    private readonly ArrayBufferWriter<byte> _output = new(1 << 23);
    private ORMap<string, GCounter> _value = null!;
    private byte[] _binary = null!;

    /// <summary>Gets or sets the number of keys.</summary>
    [Params(100_000)]
    public int Entries { get; set; }

    /// <summary>Builds the value and its encoding; checks that the flat parse reads every key.</summary>
    [GlobalSetup]
    public void Setup()
    {
        ORMap<string, GCounter> map = ORMap<string, GCounter>.Empty;
        for (int i = 0; i < Entries; i++)
        {
            map = map.Update(Replicas[i % 3], Key(i), Increment);
        }

        for (int i = 0; i < Entries / 100; i++)
        {
            map = map.Update(Replicas[(i + 1) % 3], Key(i * 97 % Entries), Increment);
            map = map.Remove(Key((i * 89 + 1) % Entries));
        }

        _value = map;
        _binary = CrdtSerializer.SerializeToBytes(map);
        if (FlatORMapWire.Parse(_binary).Keys.Length != map.Count)
        {
            throw new InvalidOperationException("The flat parse does not read every key.");
        }
    }

    /// <summary>Floor: a flat parse of the same bytes into arrays.</summary>
    [Benchmark(Baseline = true)]
    public object FlatParse() => FlatORMapWire.Parse(_binary);

    /// <summary>Binary decoding, with full validation.</summary>
    [Benchmark]
    public ORMap<string, GCounter> BinaryDecode() => CrdtSerializer.Deserialize<ORMap<string, GCounter>>(_binary);

    /// <summary>Binary encoding into a reused buffer writer (for scale; its floor is not written for this shape).</summary>
    [Benchmark]
    public int BinaryEncode()
    {
        _output.ResetWrittenCount();
        CrdtSerializer.Serialize(_output, _value);
        return _output.WrittenCount;
    }

    private static string Key(int i) => "key-" + i.ToString("D6", CultureInfo.InvariantCulture);
}

/// <summary>The floor of <see cref="ORMapCodecBenchmarks"/>: a flat parse of an ORMap-of-G-counters message into arrays.</summary>
public static class FlatORMapWire
{
    /// <summary>Parses the message: the context, then per key its updates (dot, incarnation distance, counter entries).</summary>
    public static FlatORMap Parse(ReadOnlySpan<byte> data)
    {
        int p = 3;
        int signature = (int)ReadVarint(data, ref p);
        p += signature;
        int tableCount = (int)ReadVarint(data, ref p);
        var table = new string[tableCount];
        for (int i = 0; i < tableCount; i++)
        {
            table[i] = ReadString(data, ref p);
        }

        int vectorCount = (int)ReadVarint(data, ref p);
        var vector = new FlatDot[vectorCount];
        for (int i = 0; i < vectorCount; i++)
        {
            vector[i] = new FlatDot((int)ReadVarint(data, ref p), (long)ReadVarint(data, ref p));
        }

        int cloudCount = (int)ReadVarint(data, ref p);
        var cloud = new FlatDot[cloudCount];
        for (int i = 0; i < cloudCount; i++)
        {
            cloud[i] = new FlatDot((int)ReadVarint(data, ref p), (long)ReadVarint(data, ref p));
        }

        int count = (int)ReadVarint(data, ref p);
        var keys = new string[count];
        var firstUpdate = new int[count + 1];
        var dots = new List<FlatDot>(count);
        var distances = new List<long>(count);
        var firstEntry = new List<int>(count + 1);
        var entries = new List<FlatDot>(count);
        for (int i = 0; i < count; i++)
        {
            keys[i] = ReadString(data, ref p);
            firstUpdate[i] = dots.Count;
            int updates = (int)ReadVarint(data, ref p);
            for (int u = 0; u < updates; u++)
            {
                dots.Add(new FlatDot((int)ReadVarint(data, ref p), (long)ReadVarint(data, ref p)));
                distances.Add((long)ReadVarint(data, ref p));
                firstEntry.Add(entries.Count);
                int counterEntries = (int)ReadVarint(data, ref p);
                for (int e = 0; e < counterEntries; e++)
                {
                    entries.Add(new FlatDot((int)ReadVarint(data, ref p), (long)ReadVarint(data, ref p)));
                }
            }
        }

        firstUpdate[count] = dots.Count;
        firstEntry.Add(entries.Count);
        return new FlatORMap(table, vector, cloud, keys, firstUpdate, dots.ToArray(), distances.ToArray(), firstEntry.ToArray(), entries.ToArray());
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int p)
    {
        ulong value = 0;
        int shift = 0;
        while (true)
        {
            byte b = data[p++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }

            shift += 7;
        }
    }

    private static string ReadString(ReadOnlySpan<byte> data, ref int p)
    {
        int length = (int)ReadVarint(data, ref p);
        string value = System.Text.Encoding.UTF8.GetString(data.Slice(p, length));
        p += length;
        return value;
    }
}

/// <summary>A flat ORMap of G-counters.</summary>
/// <param name="Table">The message's replica table.</param>
/// <param name="Vector">The context's vector (replica index, counter).</param>
/// <param name="Cloud">The context's dot cloud.</param>
/// <param name="Keys">The keys.</param>
/// <param name="FirstUpdate">Each key's first update index (one extra at the end).</param>
/// <param name="Dots">Each update's dot.</param>
/// <param name="Distances">Each update's incarnation distance below its counter.</param>
/// <param name="FirstEntry">Each update's first counter entry index (one extra at the end).</param>
/// <param name="Entries">The counter entries (replica index, count) of every update's G-counter.</param>
public sealed record FlatORMap(string[] Table, FlatDot[] Vector, FlatDot[] Cloud, string[] Keys, int[] FirstUpdate, FlatDot[] Dots, long[] Distances, int[] FirstEntry, FlatDot[] Entries);
