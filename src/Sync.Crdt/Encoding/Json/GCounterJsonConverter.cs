using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sync.Crdt.Counters;

namespace Sync.Crdt.Encoding.Json;

/// <summary>GCounter as its per-replica counts, <c>{"a":3,"b":1}</c> (a version vector's shape).</summary>
internal sealed class GCounterJsonConverter : JsonConverter<GCounter>
{
    /// <summary>Gets the converter (stateless).</summary>
    public static GCounterJsonConverter Instance { get; } = new();

    public override GCounter Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        GCounter.Create(VersionVectorJsonConverter.ReadVector(ref reader));

    public override void Write(Utf8JsonWriter writer, GCounter value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        VersionVectorJsonConverter.WriteVector(writer, value.Counts);
    }
}
