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
/// LWWMap as <c>{"entries":[{"key":K,"value":V,"timestamp":{…}},{"key":K2,"deleted":true,"timestamp":{…}}]}</c>,
/// tombstones included, in key order. Read in any order; a repeated key is rejected.
/// </summary>
internal sealed class LWWMapJsonConverter<TKey, TValue> : JsonConverter<LWWMap<TKey, TValue>>
    where TKey : notnull
{
    private LWWMapJsonConverter()
    {
    }

    /// <summary>Gets the converter (stateless: key and value metadata come from the serializer's options on each call).</summary>
    public static LWWMapJsonConverter<TKey, TValue> Instance { get; } = new();

    public override LWWMap<TKey, TValue> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        const string Owner = "an LWW map";
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartObject, Owner);
        List<KeyValuePair<TKey, LWWEntry<TValue>>>? entries = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = JsonCrdtReading.PropertyName(ref reader, Owner);
            switch (name)
            {
                case "entries" when entries is null:
                    entries = ReadEntries(ref reader, JsonValues.TypeInfo<TKey>(options), JsonValues.TypeInfo<TValue>(options));
                    break;
                case "entries":
                    throw JsonCrdtReading.Duplicate(name, Owner);
                default:
                    throw JsonCrdtReading.UnknownProperty(name, Owner);
            }
        }

        JsonCrdtReading.Expect(ref reader, JsonTokenType.EndObject, "the end of an LWW map");
        entries ??= [];
        IComparer<TKey> comparer = OrderedCodecs.DefaultOrder<TKey>(nameof(LWWMap<TKey, TValue>));
        Comparison<KeyValuePair<TKey, LWWEntry<TValue>>> byKey = (x, y) => comparer.Compare(x.Key, y.Key);
        if (!JsonCrdtReading.IsSorted(entries, byKey))
        {
            entries.Sort(byKey);
        }

        var keys = new TKey[entries.Count];
        var writes = new LWWEntry<TValue>[entries.Count];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = entries[i].Key;
            writes[i] = entries[i].Value;
        }

        try
        {
            return LWWMap<TKey, TValue>.FromParts(comparer, keys, writes);
        }
        catch (ArgumentException ex)
        {
            throw new JsonException($"Not a valid LWW map: {ex.Message}", ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, LWWMap<TKey, TValue> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        JsonTypeInfo<TKey> keyInfo = JsonValues.TypeInfo<TKey>(options);
        JsonTypeInfo<TValue> valueInfo = JsonValues.TypeInfo<TValue>(options);
        writer.WriteStartObject();
        writer.WriteStartArray("entries");
        SortedTree<TKey, LWWWrite>.Enumerator entries = value.GetEntryEnumerator();
        while (entries.MoveNext())
        {
            LWWEntry<TValue> entry = LWWEntry<TValue>.Of(entries.CurrentValue);
            writer.WriteStartObject();
            writer.WritePropertyName("key");
            JsonSerializer.Serialize(writer, entries.CurrentKey, keyInfo);
            if (entry.IsDeleted)
            {
                writer.WriteBoolean("deleted", true);
            }
            else
            {
                writer.WritePropertyName("value");
                JsonSerializer.Serialize(writer, entry.Value, valueInfo);
            }

            writer.WritePropertyName("timestamp");
            LWWTimestampJsonConverter.WriteTimestamp(writer, entry.Timestamp);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static List<KeyValuePair<TKey, LWWEntry<TValue>>> ReadEntries(ref Utf8JsonReader reader, JsonTypeInfo<TKey> keyInfo, JsonTypeInfo<TValue> valueInfo)
    {
        const string Owner = "an LWW map entry";
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartArray, "the entries array");
        var entries = new List<KeyValuePair<TKey, LWWEntry<TValue>>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            JsonCrdtReading.Expect(ref reader, JsonTokenType.StartObject, Owner);
            bool hasKey = false;
            bool hasValue = false;
            bool? deleted = null;
            TKey key = default!;
            TValue value = default!;
            LWWTimestamp? timestamp = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string name = JsonCrdtReading.PropertyName(ref reader, Owner);
                switch (name)
                {
                    case "key" when !hasKey:
                        key = JsonValues.Read(ref reader, keyInfo);
                        hasKey = true;
                        break;
                    case "value" when !hasValue:
                        value = JsonValues.Read(ref reader, valueInfo);
                        hasValue = true;
                        break;
                    case "deleted" when deleted is null:
                        if (reader.TokenType != JsonTokenType.True)
                        {
                            throw new JsonException("An LWW map entry's \"deleted\" must be true when present.");
                        }

                        deleted = true;
                        break;
                    case "timestamp" when timestamp is null:
                        timestamp = LWWTimestampJsonConverter.ReadTimestamp(ref reader);
                        break;
                    case "key" or "value" or "deleted" or "timestamp":
                        throw JsonCrdtReading.Duplicate(name, Owner);
                    default:
                        throw JsonCrdtReading.UnknownProperty(name, Owner);
                }
            }

            if (!hasKey || key is null)
            {
                throw JsonCrdtReading.Missing("key", Owner);
            }

            if (timestamp is not { } written)
            {
                throw JsonCrdtReading.Missing("timestamp", Owner);
            }

            if (hasValue == (deleted == true))
            {
                throw new JsonException("An LWW map entry holds either a \"value\" or \"deleted\": true.");
            }

            entries.Add(new KeyValuePair<TKey, LWWEntry<TValue>>(key, new LWWEntry<TValue>(written, deleted == true, value)));
        }

        return entries;
    }
}
