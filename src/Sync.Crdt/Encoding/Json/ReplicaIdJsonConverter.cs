using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Encoding.Json;

/// <summary>ReplicaId as its string, also as a property name (dictionary key).</summary>
internal sealed class ReplicaIdJsonConverter : JsonConverter<ReplicaId>
{
    /// <summary>Gets the converter (stateless).</summary>
    public static ReplicaIdJsonConverter Instance { get; } = new();

    public override ReplicaId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonCrdtReading.ReadReplica(ref reader);

    public override void Write(Utf8JsonWriter writer, ReplicaId value, JsonSerializerOptions options)
    {
        ReplicaId.ThrowIfDefault(value, nameof(value));
        writer.WriteStringValue(value.Value);
    }

    public override ReplicaId ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonCrdtReading.Replica(reader.GetString());

    public override void WriteAsPropertyName(Utf8JsonWriter writer, ReplicaId value, JsonSerializerOptions options)
    {
        ReplicaId.ThrowIfDefault(value, nameof(value));
        writer.WritePropertyName(value.Value);
    }
}
