using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;
using Sync.Crdt.Encoding.Codecs;
using Sync.Crdt.Maps;

namespace Sync.Crdt.Encoding.Json;

/// <summary>
/// ORMap as <c>{"entries":[{"key":K,"updates":[{"replica":"a","counter":2,"incarnation":1,"value":V}]}],"context":{…}}</c>,
/// keys in the map's order, each nested value in its own type's JSON form. Read in any order; duplicate keys, dots
/// outside the context or shared by two keys, and incarnations outside [1, counter] are rejected.
/// </summary>
internal sealed class ORMapJsonConverter<TKey, TValue> : JsonConverter<ORMap<TKey, TValue>>
    where TKey : notnull
    where TValue : class, ICrdt<TValue>
{
    private ORMapJsonConverter()
    {
    }

    /// <summary>Gets the converter (stateless: key metadata comes from the serializer's options on each call).</summary>
    public static ORMapJsonConverter<TKey, TValue> Instance { get; } = new();

    public override ORMap<TKey, TValue> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        const string Owner = "an OR-map";
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartObject, Owner);
        List<ORMapEntry<TKey, TValue>>? entries = null;
        CausalContext? context = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = JsonCrdtReading.PropertyName(ref reader, Owner);
            switch (name)
            {
                case "entries" when entries is null:
                    entries = ReadEntries(ref reader, JsonValues.TypeInfo<TKey>(options), options);
                    break;
                case "context" when context is null:
                    context = CausalContextJsonConverter.ReadContext(ref reader);
                    break;
                case "entries" or "context":
                    throw JsonCrdtReading.Duplicate(name, Owner);
                default:
                    throw JsonCrdtReading.UnknownProperty(name, Owner);
            }
        }

        JsonCrdtReading.Expect(ref reader, JsonTokenType.EndObject, "the end of an OR-map");
        try
        {
            return ORMap<TKey, TValue>.Create(entries ?? [], context ?? CausalContext.Empty, OrderedCodecs.DefaultOrder<TKey>(nameof(ORMap<TKey, TValue>)));
        }
        catch (ArgumentException ex)
        {
            throw new JsonException($"Not a valid OR-map: {ex.Message}", ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, ORMap<TKey, TValue> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        JsonTypeInfo<TKey> key = JsonValues.TypeInfo<TKey>(options);
        JsonConverter<TValue> nested = TValue.JsonConverter;
        writer.WriteStartObject();
        writer.WriteStartArray("entries");
        SortedTree<TKey, ORMapSlot>.Enumerator entries = value.GetEntryEnumerator();
        while (entries.MoveNext())
        {
            writer.WriteStartObject();
            writer.WritePropertyName("key");
            JsonSerializer.Serialize(writer, entries.CurrentKey, key);
            writer.WriteStartArray("updates");
            var slot = (ORMapSlot<TValue>)entries.CurrentValue;
            for (int i = 0; i < slot.Dots.Length; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("replica", slot.Dots[i].Replica.Value);
                writer.WriteNumber("counter", slot.Dots[i].Counter);
                writer.WriteNumber("incarnation", slot.Incarnations[i]);
                writer.WritePropertyName("value");
                nested.Write(writer, slot.Values[i], options);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WritePropertyName("context");
        CausalContextJsonConverter.WriteContext(writer, value.Context);
        writer.WriteEndObject();
    }

    private static List<ORMapEntry<TKey, TValue>> ReadEntries(ref Utf8JsonReader reader, JsonTypeInfo<TKey> keyInfo, JsonSerializerOptions options)
    {
        const string Owner = "an OR-map entry";
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartArray, "the entries array");
        var entries = new List<ORMapEntry<TKey, TValue>>();
        var keys = new HashSet<TKey>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            JsonCrdtReading.Expect(ref reader, JsonTokenType.StartObject, Owner);
            bool hasKey = false;
            TKey key = default!;
            List<(Dot Dot, long Incarnation, TValue Value)>? updates = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string name = JsonCrdtReading.PropertyName(ref reader, Owner);
                switch (name)
                {
                    case "key" when !hasKey:
                        key = JsonValues.Read(ref reader, keyInfo);
                        hasKey = true;
                        break;
                    case "updates" when updates is null:
                        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartArray, "the updates array");
                        updates = [];
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            updates.Add(ReadUpdate(ref reader, options));
                        }

                        break;
                    case "key" or "updates":
                        throw JsonCrdtReading.Duplicate(name, Owner);
                    default:
                        throw JsonCrdtReading.UnknownProperty(name, Owner);
                }
            }

            if (!hasKey || key is null)
            {
                throw JsonCrdtReading.Missing("key", Owner);
            }

            if (updates is null || updates.Count == 0)
            {
                throw new JsonException($"OR-map key '{key}' needs at least one update.");
            }

            if (!keys.Add(key))
            {
                throw new JsonException($"OR-map key '{key}' appears twice.");
            }

            foreach ((Dot dot, long incarnation, TValue value) in updates)
            {
                entries.Add(new ORMapEntry<TKey, TValue>(key, dot, incarnation, value));
            }
        }

        return entries;
    }

    private static (Dot Dot, long Incarnation, TValue Value) ReadUpdate(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        const string Owner = "an OR-map update";
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartObject, Owner);
        ReplicaId replica = default;
        long counter = 0;
        long incarnation = 0;
        TValue? value = null;
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
                case "incarnation" when incarnation == 0:
                    incarnation = JsonCrdtReading.ReadCounter(ref reader);
                    break;
                case "value" when value is null:
                    value = TValue.JsonConverter.Read(ref reader, typeof(TValue), options)
                        ?? throw new JsonException("An OR-map value must not be null.");
                    break;
                case "replica" or "counter" or "incarnation" or "value":
                    throw JsonCrdtReading.Duplicate(name, Owner);
                default:
                    throw JsonCrdtReading.UnknownProperty(name, Owner);
            }
        }

        if (replica.IsDefault)
        {
            throw JsonCrdtReading.Missing("replica", Owner);
        }

        if (counter == 0)
        {
            throw JsonCrdtReading.Missing("counter", Owner);
        }

        if (incarnation == 0)
        {
            throw JsonCrdtReading.Missing("incarnation", Owner);
        }

        if (value is null)
        {
            throw JsonCrdtReading.Missing("value", Owner);
        }

        if (incarnation > counter)
        {
            throw new JsonException($"The incarnation {incarnation} of an OR-map update exceeds its counter {counter}.");
        }

        return (new Dot(replica, counter), incarnation, value);
    }
}
