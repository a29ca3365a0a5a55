using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Encoding.Json;

/// <summary>LWWTimestamp as <c>{"time":5,"replica":"a"}</c>.</summary>
internal sealed class LWWTimestampJsonConverter : JsonConverter<LWWTimestamp>
{
    /// <summary>Gets the converter (stateless).</summary>
    public static LWWTimestampJsonConverter Instance { get; } = new();

    public override LWWTimestamp Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadTimestamp(ref reader);

    public override void Write(Utf8JsonWriter writer, LWWTimestamp value, JsonSerializerOptions options) => WriteTimestamp(writer, value);

    internal static void WriteTimestamp(Utf8JsonWriter writer, LWWTimestamp value)
    {
        ReplicaId.ThrowIfDefault(value.Replica, nameof(value));
        writer.WriteStartObject();
        writer.WriteNumber("time", value.Time);
        writer.WriteString("replica", value.Replica.Value);
        writer.WriteEndObject();
    }

    internal static LWWTimestamp ReadTimestamp(ref Utf8JsonReader reader)
    {
        const string Owner = "a timestamp";
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartObject, Owner);
        ReplicaId replica = default;
        long time = -1;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = JsonCrdtReading.PropertyName(ref reader, Owner, "time"u8, "time", "replica"u8, "replica");
            switch (name)
            {
                case "time" when time < 0:
                    time = JsonCrdtReading.ReadNonNegative(ref reader, "A timestamp's time");
                    break;
                case "replica" when replica.IsDefault:
                    replica = JsonCrdtReading.ReadReplica(ref reader);
                    break;
                case "replica" or "time":
                    throw JsonCrdtReading.Duplicate(name, Owner);
                default:
                    throw JsonCrdtReading.UnknownProperty(name, Owner);
            }
        }

        JsonCrdtReading.Expect(ref reader, JsonTokenType.EndObject, "the end of a timestamp");
        if (time < 0)
        {
            throw JsonCrdtReading.Missing("time", Owner);
        }

        if (replica.IsDefault)
        {
            throw JsonCrdtReading.Missing("replica", Owner);
        }

        return new LWWTimestamp(time, replica);
    }
}
