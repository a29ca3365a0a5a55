using System;
using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Encoding.Json;

/// <summary>VersionVector as <c>{"a":3,"b":1}</c>: written in replica order; read in any order, duplicates rejected.</summary>
internal sealed class VersionVectorJsonConverter : JsonConverter<VersionVector>
{
    /// <summary>Gets the converter (stateless).</summary>
    public static VersionVectorJsonConverter Instance { get; } = new();

    public override VersionVector Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadVector(ref reader);

    public override void Write(Utf8JsonWriter writer, VersionVector value, JsonSerializerOptions options) => WriteVector(writer, value);

    internal static void WriteVector(Utf8JsonWriter writer, VersionVector value)
    {
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (Dot entry in value)
        {
            writer.WriteNumber(entry.Replica.Value, entry.Counter);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// Reads a vector object. Entries are collected in pooled scratch arrays; input in replica order (what the writer
    /// produces) is taken as is, other input is sorted once, and duplicates are rejected either way. Allocates the
    /// vector's two arrays and the replica ids it does not take from <paramref name="shared"/>.
    /// </summary>
    /// <param name="reader">The reader, on the object's start.</param>
    /// <param name="shared">
    /// A vector read earlier from the same document (a PN-counter's increments when reading its decrements), or
    /// <see langword="null"/>: an id equal to one of its ids is taken from it instead of allocating a new string.
    /// </param>
    internal static VersionVector ReadVector(ref Utf8JsonReader reader, VersionVector? shared = null)
    {
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartObject, "a version vector object");
        ReplicaId[] replicas = ArrayPool<ReplicaId>.Shared.Rent(16);
        long[] counters = ArrayPool<long>.Shared.Rent(16);
        int count = 0;
        int next = 0;
        bool sorted = true;
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                // Replica names rarely repeat across vectors of one document: read them directly, not through the name cache.
                JsonCrdtReading.Expect(ref reader, JsonTokenType.PropertyName, "a property of a version vector");
                ReplicaId replica = shared is null ? JsonCrdtReading.Replica(reader.GetString()) : SharedReplica(ref reader, shared, ref next);
                JsonCrdtReading.Next(ref reader, JsonTokenType.Number, "a counter");
                long counter = JsonCrdtReading.ReadCounter(ref reader);
                if (count == replicas.Length)
                {
                    Grow(ref replicas, ref counters, count);
                }

                sorted = sorted && (count == 0 || replicas[count - 1].CompareTo(replica) < 0);
                replicas[count] = replica;
                counters[count] = counter;
                count++;
            }

            JsonCrdtReading.Expect(ref reader, JsonTokenType.EndObject, "the end of a version vector");
            if (count == 0)
            {
                return VersionVector.Empty;
            }

            ReplicaId[] exactReplicas = replicas.AsSpan(0, count).ToArray();
            long[] exactCounters = counters.AsSpan(0, count).ToArray();
            if (!sorted)
            {
                Array.Sort(exactReplicas, exactCounters);
                for (int i = 1; i < count; i++)
                {
                    if (exactReplicas[i] == exactReplicas[i - 1])
                    {
                        throw new JsonException($"Replica '{exactReplicas[i]}' appears twice in a version vector.");
                    }
                }
            }

            return VersionVector.FromSortedUnchecked(exactReplicas, exactCounters);
        }
        finally
        {
            replicas.AsSpan(0, count).Clear();
            ArrayPool<ReplicaId>.Shared.Return(replicas);
            ArrayPool<long>.Shared.Return(counters);
        }
    }

    /// <summary>
    /// Returns the replica id the reader is on, taken from <paramref name="shared"/> when it holds the same id: a
    /// merge-join over the shared vector's sorted ids from <paramref name="next"/> on, ordering ASCII names by their
    /// bytes (other names, and escaped ones, are read as usual).
    /// </summary>
    private static ReplicaId SharedReplica(ref Utf8JsonReader reader, VersionVector shared, ref int next)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            ReadOnlySpan<byte> name = reader.ValueSpan;
            while (next < shared.Count)
            {
                ReplicaId candidate = shared.ReplicaAt(next);
                int c = CompareAscii(candidate.Value, name);
                if (c == int.MinValue || c > 0)
                {
                    break;
                }

                next++;
                if (c == 0)
                {
                    return candidate;
                }
            }
        }

        return JsonCrdtReading.Replica(reader.GetString());
    }

    /// <summary>
    /// Orders <paramref name="text"/> against the UTF-8 <paramref name="utf8"/> (ordinal; sign only), or returns
    /// <see cref="int.MinValue"/> when a non-ASCII unit decides it (then the byte order is not the ordinal order).
    /// </summary>
    private static int CompareAscii(string text, ReadOnlySpan<byte> utf8)
    {
        int n = Math.Min(text.Length, utf8.Length);
        for (int i = 0; i < n; i++)
        {
            int a = text[i];
            int b = utf8[i];
            if ((a | b) >= 0x80)
            {
                return int.MinValue;
            }

            if (a != b)
            {
                return a - b;
            }
        }

        return text.Length - utf8.Length;
    }

    private static void Grow(ref ReplicaId[] replicas, ref long[] counters, int count)
    {
        ReplicaId[] biggerReplicas = ArrayPool<ReplicaId>.Shared.Rent(count * 2);
        long[] biggerCounters = ArrayPool<long>.Shared.Rent(count * 2);
        replicas.AsSpan(0, count).CopyTo(biggerReplicas);
        counters.AsSpan(0, count).CopyTo(biggerCounters);
        replicas.AsSpan(0, count).Clear();
        ArrayPool<ReplicaId>.Shared.Return(replicas);
        ArrayPool<long>.Shared.Return(counters);
        replicas = biggerReplicas;
        counters = biggerCounters;
    }
}
