using System;

using Sync.Crdt.Encoding;

namespace Sync.Crdt.Benchmarks.Bulk;

/// <summary>
/// The floors of the bulk codec benchmarks: a flat parse of the same message bytes into plain arrays (no
/// validation beyond bounds, no tree, no index) and a flat write of those arrays back into the same bytes. Nothing
/// here is shared with the library's codecs, so the floor measures what touching every byte once costs.
/// </summary>
public static class FlatWire
{
    /// <summary>Parses a version-vector-shaped message (G-counter): ids and counters.</summary>
    public static FlatVector ParseVector(ReadOnlySpan<byte> data)
    {
        int p = 0;
        string[] table = ReadHeader(data, ref p);
        FlatVector vector = ReadVector(data, ref p, table);
        return vector;
    }

    /// <summary>Parses a PN-counter message: two vectors.</summary>
    public static (FlatVector Increments, FlatVector Decrements) ParsePair(ReadOnlySpan<byte> data)
    {
        int p = 0;
        string[] table = ReadHeader(data, ref p);
        FlatVector increments = ReadVector(data, ref p, table);
        return (increments, ReadVector(data, ref p, table));
    }

    /// <summary>Parses an OR-set message: the context's vector and cloud, then elements and their dots.</summary>
    public static FlatSet ParseSet(ReadOnlySpan<byte> data)
    {
        int p = 0;
        string[] table = ReadHeader(data, ref p);
        FlatVector vector = ReadVector(data, ref p, table);
        int cloudCount = (int)ReadVarint(data, ref p);
        var cloud = new FlatDot[cloudCount];
        for (int i = 0; i < cloudCount; i++)
        {
            cloud[i] = new FlatDot((int)ReadVarint(data, ref p), (long)ReadVarint(data, ref p));
        }

        int count = (int)ReadVarint(data, ref p);
        var items = new string[count];
        var dots = new FlatDot[count][];
        for (int i = 0; i < count; i++)
        {
            items[i] = ReadString(data, ref p);
            int dotCount = (int)ReadVarint(data, ref p);
            var elementDots = new FlatDot[dotCount];
            for (int j = 0; j < dotCount; j++)
            {
                elementDots[j] = new FlatDot((int)ReadVarint(data, ref p), (long)ReadVarint(data, ref p));
            }

            dots[i] = elementDots;
        }

        return new FlatSet(table, vector, cloud, items, dots);
    }

    /// <summary>Parses an LWW-map message into parallel arrays.</summary>
    public static FlatMap ParseMap(ReadOnlySpan<byte> data)
    {
        int p = 0;
        string[] table = ReadHeader(data, ref p);
        int count = (int)ReadVarint(data, ref p);
        var map = new FlatMap(table, new string[count], new byte[count], new long[count], new int[count], new string?[count]);
        for (int i = 0; i < count; i++)
        {
            map.Keys[i] = ReadString(data, ref p);
            byte kind = data[p++];
            map.Kinds[i] = kind;
            map.Times[i] = (long)ReadVarint(data, ref p);
            map.Replicas[i] = (int)ReadVarint(data, ref p);
            if (kind == 0)
            {
                map.Values[i] = ReadString(data, ref p);
            }
        }

        return map;
    }

    /// <summary>Writes a G-counter message from flat arrays; returns the length.</summary>
    public static int WriteVector(byte[] buffer, ReadOnlySpan<byte> signature, FlatVector vector)
    {
        int p = WriteHeader(buffer, signature, vector.Table);
        WriteVectorBody(buffer, ref p, vector);
        return p;
    }

    /// <summary>Writes a PN-counter message from flat arrays; returns the length.</summary>
    public static int WritePair(byte[] buffer, ReadOnlySpan<byte> signature, FlatVector increments, FlatVector decrements)
    {
        int p = WriteHeader(buffer, signature, increments.Table);
        WriteVectorBody(buffer, ref p, increments);
        WriteVectorBody(buffer, ref p, decrements);
        return p;
    }

    /// <summary>Writes an OR-set message from flat arrays; returns the length.</summary>
    public static int WriteSet(byte[] buffer, ReadOnlySpan<byte> signature, FlatSet set)
    {
        int p = WriteHeader(buffer, signature, set.Table);
        WriteVectorBody(buffer, ref p, set.Vector);
        p += Varint.Write(buffer.AsSpan(p), (ulong)set.Cloud.Length);
        foreach (FlatDot dot in set.Cloud)
        {
            p += Varint.Write(buffer.AsSpan(p), (ulong)dot.Replica);
            p += Varint.Write(buffer.AsSpan(p), (ulong)dot.Counter);
        }

        p += Varint.Write(buffer.AsSpan(p), (ulong)set.Items.Length);
        for (int i = 0; i < set.Items.Length; i++)
        {
            WriteString(buffer, ref p, set.Items[i]);
            FlatDot[] dots = set.Dots[i];
            p += Varint.Write(buffer.AsSpan(p), (ulong)dots.Length);
            foreach (FlatDot dot in dots)
            {
                p += Varint.Write(buffer.AsSpan(p), (ulong)dot.Replica);
                p += Varint.Write(buffer.AsSpan(p), (ulong)dot.Counter);
            }
        }

        return p;
    }

    /// <summary>Writes an LWW-map message from flat arrays; returns the length.</summary>
    public static int WriteMap(byte[] buffer, ReadOnlySpan<byte> signature, FlatMap map)
    {
        int p = WriteHeader(buffer, signature, map.Table);
        p += Varint.Write(buffer.AsSpan(p), (ulong)map.Keys.Length);
        for (int i = 0; i < map.Keys.Length; i++)
        {
            WriteString(buffer, ref p, map.Keys[i]);
            buffer[p++] = map.Kinds[i];
            p += Varint.Write(buffer.AsSpan(p), (ulong)map.Times[i]);
            p += Varint.Write(buffer.AsSpan(p), (ulong)map.Replicas[i]);
            if (map.Kinds[i] == 0)
            {
                WriteString(buffer, ref p, map.Values[i]!);
            }
        }

        return p;
    }

    /// <summary>Returns the signature bytes of a message (to write it back identically).</summary>
    public static byte[] Signature(ReadOnlySpan<byte> data)
    {
        int p = 3;
        int length = (int)ReadVarint(data, ref p);
        return data.Slice(p, length).ToArray();
    }

    private static string[] ReadHeader(ReadOnlySpan<byte> data, ref int p)
    {
        p = 3;
        int signature = (int)ReadVarint(data, ref p);
        p += signature;
        int count = (int)ReadVarint(data, ref p);
        var table = new string[count];
        for (int i = 0; i < count; i++)
        {
            table[i] = ReadString(data, ref p);
        }

        return table;
    }

    private static FlatVector ReadVector(ReadOnlySpan<byte> data, ref int p, string[] table)
    {
        int count = (int)ReadVarint(data, ref p);
        var indices = new int[count];
        var ids = new string[count];
        var counters = new long[count];
        for (int i = 0; i < count; i++)
        {
            int index = (int)ReadVarint(data, ref p);
            indices[i] = index;
            ids[i] = table[index];
            counters[i] = (long)ReadVarint(data, ref p);
        }

        return new FlatVector(table, indices, ids, counters);
    }

    private static int WriteHeader(byte[] buffer, ReadOnlySpan<byte> signature, string[] table)
    {
        buffer[0] = 0x53;
        buffer[1] = 0x43;
        buffer[2] = 1;
        int p = 3;
        p += Varint.Write(buffer.AsSpan(p), (ulong)signature.Length);
        signature.CopyTo(buffer.AsSpan(p));
        p += signature.Length;
        p += Varint.Write(buffer.AsSpan(p), (ulong)table.Length);
        foreach (string id in table)
        {
            WriteString(buffer, ref p, id);
        }

        return p;
    }

    private static void WriteVectorBody(byte[] buffer, ref int p, FlatVector vector)
    {
        p += Varint.Write(buffer.AsSpan(p), (ulong)vector.Counters.Length);
        for (int i = 0; i < vector.Counters.Length; i++)
        {
            p += Varint.Write(buffer.AsSpan(p), (ulong)vector.Indices[i]);
            p += Varint.Write(buffer.AsSpan(p), (ulong)vector.Counters[i]);
        }
    }

    private static void WriteString(byte[] buffer, ref int p, string value)
    {
        // Strings of the samples are short; a 1-byte length prefix covers them, longer ones take the general path.
        int length = System.Text.Encoding.UTF8.GetByteCount(value);
        p += Varint.Write(buffer.AsSpan(p), (ulong)length);
        p += System.Text.Encoding.UTF8.GetBytes(value, buffer.AsSpan(p));
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

/// <summary>A replica index and counter.</summary>
/// <param name="Replica">The replica table index.</param>
/// <param name="Counter">The counter.</param>
public readonly record struct FlatDot(int Replica, long Counter);

/// <summary>A flat version vector.</summary>
/// <param name="Table">The message's replica table.</param>
/// <param name="Indices">The replica table index of each entry.</param>
/// <param name="Ids">The replica of each entry.</param>
/// <param name="Counters">The counter of each entry.</param>
public sealed record FlatVector(string[] Table, int[] Indices, string[] Ids, long[] Counters);

/// <summary>A flat OR-set.</summary>
/// <param name="Table">The message's replica table.</param>
/// <param name="Vector">The context's vector.</param>
/// <param name="Cloud">The context's dot cloud.</param>
/// <param name="Items">The elements.</param>
/// <param name="Dots">Each element's dots.</param>
public sealed record FlatSet(string[] Table, FlatVector Vector, FlatDot[] Cloud, string[] Items, FlatDot[][] Dots);

/// <summary>A flat LWW map.</summary>
/// <param name="Table">The message's replica table.</param>
/// <param name="Keys">The keys.</param>
/// <param name="Kinds">Each entry's kind byte.</param>
/// <param name="Times">Each entry's time.</param>
/// <param name="Replicas">Each entry's replica table index.</param>
/// <param name="Values">Each entry's value (null for tombstones).</param>
public sealed record FlatMap(string[] Table, string[] Keys, byte[] Kinds, long[] Times, int[] Replicas, string?[] Values);
