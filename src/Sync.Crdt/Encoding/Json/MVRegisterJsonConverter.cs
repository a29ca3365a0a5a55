using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Sync.Crdt.Causality;
using Sync.Crdt.Registers;

namespace Sync.Crdt.Encoding.Json;

/// <summary>
/// MVRegister as <c>{"values":[{"replica":"a","counter":3,"value":V}],"context":{…}}</c>, siblings in dot order.
/// Read in any order; a duplicate dot or a dot outside the context is rejected.
/// </summary>
internal sealed class MVRegisterJsonConverter<T> : JsonConverter<MVRegister<T>>
{
    private MVRegisterJsonConverter()
    {
    }

    /// <summary>Gets the converter (stateless: element metadata comes from the serializer's options on each call).</summary>
    public static MVRegisterJsonConverter<T> Instance { get; } = new();

    public override MVRegister<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        const string Owner = "an MV register";
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartObject, Owner);
        List<KeyValuePair<Dot, T>>? entries = null;
        CausalContext? context = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = JsonCrdtReading.PropertyName(ref reader, Owner);
            switch (name)
            {
                case "values" when entries is null:
                    entries = ReadEntries(ref reader, JsonValues.TypeInfo<T>(options));
                    break;
                case "context" when context is null:
                    context = CausalContextJsonConverter.ReadContext(ref reader);
                    break;
                case "values" or "context":
                    throw JsonCrdtReading.Duplicate(name, Owner);
                default:
                    throw JsonCrdtReading.UnknownProperty(name, Owner);
            }
        }

        JsonCrdtReading.Expect(ref reader, JsonTokenType.EndObject, "the end of an MV register");
        context ??= CausalContext.Empty;
        entries ??= [];
        var seen = new HashSet<Dot>();
        foreach (KeyValuePair<Dot, T> entry in entries)
        {
            if (!seen.Add(entry.Key))
            {
                throw new JsonException($"Dot {entry.Key} appears twice in an MV register.");
            }

            if (!context.Contains(entry.Key))
            {
                throw new JsonException($"MV register entry {entry.Key} is not in the register's context.");
            }
        }

        return MVRegister<T>.Create(entries, context);
    }

    public override void Write(Utf8JsonWriter writer, MVRegister<T> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteStartArray("values");
        JsonTypeInfo<T> valueInfo = JsonValues.TypeInfo<T>(options);
        var dots = value.Dots;
        var values = value.Values;
        for (int i = 0; i < dots.Length; i++)
        {
            writer.WriteStartObject();
            writer.WriteString("replica", dots[i].Replica.Value);
            writer.WriteNumber("counter", dots[i].Counter);
            writer.WritePropertyName("value");
            JsonSerializer.Serialize(writer, values[i], valueInfo);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WritePropertyName("context");
        CausalContextJsonConverter.WriteContext(writer, value.Context);
        writer.WriteEndObject();
    }

    private static List<KeyValuePair<Dot, T>> ReadEntries(ref Utf8JsonReader reader, JsonTypeInfo<T> valueInfo)
    {
        const string Owner = "an MV register value";
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartArray, "the values array");
        var entries = new List<KeyValuePair<Dot, T>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            JsonCrdtReading.Expect(ref reader, JsonTokenType.StartObject, Owner);
            ReplicaId replica = default;
            long counter = 0;
            bool hasValue = false;
            T value = default!;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string name = JsonCrdtReading.PropertyName(ref reader, Owner);
                switch (name)
                {
                    case "replica" when replica.IsDefault:
                        replica = JsonCrdtReading.ReadReplica(ref reader);
                        break;
                    case "counter" when counter == 0:
                        counter = JsonCrdtReading.ReadCounter(ref reader);
                        break;
                    case "value" when !hasValue:
                        value = JsonValues.Read(ref reader, valueInfo);
                        hasValue = true;
                        break;
                    case "replica" or "counter" or "value":
                        throw JsonCrdtReading.Duplicate(name, Owner);
                    default:
                        throw JsonCrdtReading.UnknownProperty(name, Owner);
                }
            }

            if (replica.IsDefault || counter == 0 || !hasValue)
            {
                throw JsonCrdtReading.Missing(replica.IsDefault ? "replica" : counter == 0 ? "counter" : "value", Owner);
            }

            entries.Add(new KeyValuePair<Dot, T>(new Dot(replica, counter), value));
        }

        JsonCrdtReading.Expect(ref reader, JsonTokenType.EndArray, "the end of the values array");
        return entries;
    }
}
