using System;
using System.Collections.Generic;
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

    internal static VersionVector ReadVector(ref Utf8JsonReader reader)
    {
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartObject, "a version vector object");
        var entries = new List<Dot>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            // Replica names rarely repeat across vectors of one document: read them directly, not through the name cache.
            JsonCrdtReading.Expect(ref reader, JsonTokenType.PropertyName, "a property of a version vector");
            ReplicaId replica = JsonCrdtReading.Replica(reader.GetString());
            JsonCrdtReading.Next(ref reader, JsonTokenType.Number, "a counter");
            entries.Add(new Dot(replica, JsonCrdtReading.ReadCounter(ref reader)));
        }

        JsonCrdtReading.Expect(ref reader, JsonTokenType.EndObject, "the end of a version vector");
        if (!JsonCrdtReading.IsSorted(entries, static (x, y) => x.CompareTo(y)))
        {
            entries.Sort();
        }

        for (int i = 1; i < entries.Count; i++)
        {
            if (entries[i].Replica == entries[i - 1].Replica)
            {
                throw new JsonException($"Replica '{entries[i].Replica}' appears twice in a version vector.");
            }
        }

        return VersionVector.Create(entries);
    }
}
