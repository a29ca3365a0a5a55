using System;
using System.Buffers;
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
        IComparer<TKey> comparer = OrderedCodecs.DefaultOrder<TKey>(nameof(LWWMap<TKey, TValue>));
        LWWMap<TKey, TValue>? map = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = JsonCrdtReading.PropertyName(ref reader, Owner);
            switch (name)
            {
                case "entries" when map is null:
                    map = ReadEntries(ref reader, comparer, JsonValues.TypeInfo<TKey>(options), JsonValues.TypeInfo<TValue>(options));
                    break;
                case "entries":
                    throw JsonCrdtReading.Duplicate(name, Owner);
                default:
                    throw JsonCrdtReading.UnknownProperty(name, Owner);
            }
        }

        JsonCrdtReading.Expect(ref reader, JsonTokenType.EndObject, "the end of an LWW map");
        return map ?? LWWMap<TKey, TValue>.FromTrusted(SortedTree<TKey, LWWWrite>.Empty(comparer), 0);
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

    /// <summary>
    /// Reads the entries array into pooled scratch arrays (checking order as it goes; unsorted input is sorted once) and
    /// builds the map's tree bottom-up from them: allocates the entries and the tree, nothing proportional to the
    /// input besides.
    /// </summary>
    private static LWWMap<TKey, TValue> ReadEntries(ref Utf8JsonReader reader, IComparer<TKey> comparer, JsonTypeInfo<TKey> keyInfo, JsonTypeInfo<TValue> valueInfo)
    {
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartArray, "the entries array");
        var entries = new Scratch(comparer);
        try
        {
            ReadEntries(ref reader, ref entries, keyInfo, valueInfo);
            return entries.ToMap();
        }
        finally
        {
            entries.Dispose();
        }
    }

    private static void ReadEntries(ref Utf8JsonReader reader, ref Scratch entries, JsonTypeInfo<TKey> keyInfo, JsonTypeInfo<TValue> valueInfo)
    {
        const string Owner = "an LWW map entry";
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
                string name = JsonCrdtReading.PropertyName(ref reader, Owner, "key"u8, "key", "value"u8, "value");
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

            entries.Add(key, new LWWEntry<TValue>(written, deleted == true, value));
        }
    }

    /// <summary>Entries read so far, in pooled arrays (returned cleared by <see cref="Dispose"/>), and whether they ascend.</summary>
    private struct Scratch : ISortedSource<TKey, LWWWrite>
    {
        private readonly IComparer<TKey> _comparer;
        private TKey[] _keys;
        private LWWWrite[] _writes;
        private int _count;
        private int _live;
        private bool _ascending;
        private int _filled;

        public Scratch(IComparer<TKey> comparer)
        {
            _comparer = comparer;
            _keys = ArrayPool<TKey>.Shared.Rent(16);
            _writes = ArrayPool<LWWWrite>.Shared.Rent(16);
            _count = 0;
            _live = 0;
            _ascending = true;
            _filled = 0;
        }

        public void Add(TKey key, LWWEntry<TValue> write)
        {
            if (_count == _keys.Length)
            {
                Grow();
            }

            _ascending = _ascending && (_count == 0 || SortedTree<TKey, LWWWrite>.CompareKeys(_comparer, _keys[_count - 1], key) < 0);
            _keys[_count] = key;
            _writes[_count] = write;
            _live += write.IsDeleted ? 0 : 1;
            _count++;
        }

        /// <summary>Sorts unsorted input (rejecting a repeated key) and builds the map.</summary>
        public LWWMap<TKey, TValue> ToMap()
        {
            if (!_ascending)
            {
                Array.Sort(_keys, _writes, 0, _count, _comparer);
                for (int i = 1; i < _count; i++)
                {
                    if (_comparer.Compare(_keys[i - 1], _keys[i]) == 0)
                    {
                        throw new JsonException($"Not a valid LWW map: keys must be strictly increasing in the map's order; key '{_keys[i]}' appears twice.");
                    }
                }
            }

            _filled = 0;
            return LWWMap<TKey, TValue>.FromTrusted(SortedTree<TKey, LWWWrite>.FromSource(_comparer, _count, ref this), _live);
        }

        public void Fill(Span<TKey> keys, Span<LWWWrite> values)
        {
            _keys.AsSpan(_filled, keys.Length).CopyTo(keys);
            _writes.AsSpan(_filled, values.Length).CopyTo(values);
            _filled += keys.Length;
        }

        public void Dispose()
        {
            _keys.AsSpan(0, _count).Clear();
            _writes.AsSpan(0, _count).Clear();
            ArrayPool<TKey>.Shared.Return(_keys);
            ArrayPool<LWWWrite>.Shared.Return(_writes);
            _keys = [];
            _writes = [];
            _count = 0;
        }

        private void Grow()
        {
            TKey[] keys = ArrayPool<TKey>.Shared.Rent(_count * 2);
            LWWWrite[] writes = ArrayPool<LWWWrite>.Shared.Rent(_count * 2);
            _keys.AsSpan(0, _count).CopyTo(keys);
            _writes.AsSpan(0, _count).CopyTo(writes);
            _keys.AsSpan(0, _count).Clear();
            _writes.AsSpan(0, _count).Clear();
            ArrayPool<TKey>.Shared.Return(_keys);
            ArrayPool<LWWWrite>.Shared.Return(_writes);
            _keys = keys;
            _writes = writes;
        }
    }
}
