using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;

namespace Sync.Crdt.Encoding.Json;

/// <summary>PNCounter as <c>{"increments":{"a":3},"decrements":{"b":1}}</c>.</summary>
internal sealed class PNCounterJsonConverter : JsonConverter<PNCounter>
{
    /// <summary>Gets the converter (stateless).</summary>
    public static PNCounterJsonConverter Instance { get; } = new();

    public override PNCounter Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        const string Owner = "a PN-counter";
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartObject, Owner);
        VersionVector? increments = null;
        VersionVector? decrements = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = JsonCrdtReading.PropertyName(ref reader, Owner);
            switch (name)
            {
                case "increments" when increments is null:
                    increments = VersionVectorJsonConverter.ReadVector(ref reader);
                    break;
                case "decrements" when decrements is null:
                    // Decrements usually name replicas of the increments: share their id instances.
                    decrements = VersionVectorJsonConverter.ReadVector(ref reader, increments);
                    break;
                case "increments" or "decrements":
                    throw JsonCrdtReading.Duplicate(name, Owner);
                default:
                    throw JsonCrdtReading.UnknownProperty(name, Owner);
            }
        }

        JsonCrdtReading.Expect(ref reader, JsonTokenType.EndObject, "the end of a PN-counter");
        return PNCounter.Create(
            GCounter.Create(increments ?? VersionVector.Empty),
            GCounter.Create(decrements ?? VersionVector.Empty));
    }

    public override void Write(Utf8JsonWriter writer, PNCounter value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WritePropertyName("increments");
        VersionVectorJsonConverter.WriteVector(writer, value.Increments.Counts);
        writer.WritePropertyName("decrements");
        VersionVectorJsonConverter.WriteVector(writer, value.Decrements.Counts);
        writer.WriteEndObject();
    }
}
