using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Encoding.Json;

/// <summary>Dot as <c>{"replica":"a","counter":3}</c>.</summary>
internal sealed class DotJsonConverter : JsonConverter<Dot>
{
    /// <summary>Gets the converter (stateless).</summary>
    public static DotJsonConverter Instance { get; } = new();

    public override Dot Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadDot(ref reader);

    public override void Write(Utf8JsonWriter writer, Dot value, JsonSerializerOptions options) => WriteDot(writer, value);

    internal static void WriteDot(Utf8JsonWriter writer, Dot value)
    {
        ReplicaId.ThrowIfDefault(value.Replica, nameof(value));
        writer.WriteStartObject();
        writer.WriteString("replica", value.Replica.Value);
        writer.WriteNumber("counter", value.Counter);
        writer.WriteEndObject();
    }

    internal static Dot ReadDot(ref Utf8JsonReader reader)
    {
        const string Owner = "a dot";
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartObject, Owner);
        ReplicaId replica = default;
        long counter = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = JsonCrdtReading.PropertyName(ref reader, Owner, "replica"u8, "replica", "counter"u8, "counter");
            switch (name)
            {
                case "replica" when replica.IsDefault:
                    replica = JsonCrdtReading.ReadReplica(ref reader);
                    break;
                case "counter" when counter == 0:
                    counter = JsonCrdtReading.ReadCounter(ref reader);
                    break;
                case "replica" or "counter":
                    throw JsonCrdtReading.Duplicate(name, Owner);
                default:
                    throw JsonCrdtReading.UnknownProperty(name, Owner);
            }
        }

        JsonCrdtReading.Expect(ref reader, JsonTokenType.EndObject, "the end of a dot");
        if (replica.IsDefault)
        {
            throw JsonCrdtReading.Missing("replica", Owner);
        }

        if (counter == 0)
        {
            throw JsonCrdtReading.Missing("counter", Owner);
        }

        return new Dot(replica, counter);
    }
}
