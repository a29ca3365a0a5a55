using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;
using Sync.Crdt.Encoding.Codecs;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Encoding.Json;

/// <summary>
/// ORSet as <c>{"elements":[{"value":E,"dots":[{"replica":"a","counter":1}]}],"context":{…}}</c>, elements in the
/// set's order. Read in any order; duplicates, dots outside the context or shared by two elements are rejected.
/// </summary>
internal sealed class ORSetJsonConverter<T> : JsonConverter<ORSet<T>>
    where T : notnull
{
    private ORSetJsonConverter()
    {
    }

    /// <summary>Gets the converter (stateless: element metadata comes from the serializer's options on each call).</summary>
    public static ORSetJsonConverter<T> Instance { get; } = new();

    public override ORSet<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        const string Owner = "an OR-set";
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartObject, Owner);
        IComparer<T> comparer = OrderedCodecs.DefaultOrder<T>(nameof(ORSet<T>));
        var elements = new ORSetJsonScratch<T>(comparer);
        try
        {
            bool hasElements = false;
            CausalContext? context = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string name = JsonCrdtReading.PropertyName(ref reader, Owner);
                switch (name)
                {
                    case "elements" when !hasElements:
                        ReadElements(ref reader, ref elements, JsonValues.TypeInfo<T>(options));
                        hasElements = true;
                        break;
                    case "context" when context is null:
                        context = CausalContextJsonConverter.ReadContext(ref reader);
                        break;
                    case "elements" or "context":
                        throw JsonCrdtReading.Duplicate(name, Owner);
                    default:
                        throw JsonCrdtReading.UnknownProperty(name, Owner);
                }
            }

            JsonCrdtReading.Expect(ref reader, JsonTokenType.EndObject, "the end of an OR-set");
            return elements.ToSet(context ?? CausalContext.Empty);
        }
        finally
        {
            elements.Dispose();
        }
    }

    public override void Write(Utf8JsonWriter writer, ORSet<T> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        JsonTypeInfo<T> element = JsonValues.TypeInfo<T>(options);
        writer.WriteStartObject();
        writer.WriteStartArray("elements");
        SortedTree<T, Dot[]>.Enumerator entries = value.GetEntryEnumerator();
        while (entries.MoveNext())
        {
            writer.WriteStartObject();
            writer.WritePropertyName("value");
            JsonSerializer.Serialize(writer, entries.CurrentKey, element);
            writer.WriteStartArray("dots");
            foreach (Dot dot in entries.CurrentValue)
            {
                DotJsonConverter.WriteDot(writer, dot);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WritePropertyName("context");
        CausalContextJsonConverter.WriteContext(writer, value.Context);
        writer.WriteEndObject();
    }

    /// <summary>Reads the elements array into <paramref name="elements"/>: each element's exact dot array, sorted.</summary>
    private static void ReadElements(ref Utf8JsonReader reader, ref ORSetJsonScratch<T> elements, JsonTypeInfo<T> element)
    {
        const string Owner = "an OR-set element";
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartArray, "the elements array");

        // One pooled scratch array for every element's dots: each element allocates only its exact dot array.
        Dot[] scratch = ArrayPool<Dot>.Shared.Rent(16);
        try
        {
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                JsonCrdtReading.Expect(ref reader, JsonTokenType.StartObject, Owner);
                bool hasValue = false;
                T value = default!;
                int dotCount = -1;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    string name = JsonCrdtReading.PropertyName(ref reader, Owner, "value"u8, "value", "dots"u8, "dots");
                    switch (name)
                    {
                        case "value" when !hasValue:
                            value = JsonValues.Read(ref reader, element);
                            hasValue = true;
                            break;
                        case "dots" when dotCount < 0:
                            JsonCrdtReading.Expect(ref reader, JsonTokenType.StartArray, "the dots array");
                            dotCount = 0;
                            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                            {
                                if (dotCount == scratch.Length)
                                {
                                    Dot[] bigger = ArrayPool<Dot>.Shared.Rent(dotCount * 2);
                                    scratch.AsSpan(0, dotCount).CopyTo(bigger);
                                    ArrayPool<Dot>.Shared.Return(scratch, clearArray: true);
                                    scratch = bigger;
                                }

                                scratch[dotCount++] = DotJsonConverter.ReadDot(ref reader);
                            }

                            break;
                        case "value" or "dots":
                            throw JsonCrdtReading.Duplicate(name, Owner);
                        default:
                            throw JsonCrdtReading.UnknownProperty(name, Owner);
                    }
                }

                if (!hasValue || value is null)
                {
                    throw JsonCrdtReading.Missing("value", Owner);
                }

                if (dotCount < 0)
                {
                    throw JsonCrdtReading.Missing("dots", Owner);
                }

                if (dotCount == 0)
                {
                    throw new JsonException($"Not a valid OR-set: an element needs at least one dot; '{value}' has none.");
                }

                Dot[] exact = scratch.AsSpan(0, dotCount).ToArray();
                if (!IsAscending(exact))
                {
                    Array.Sort(exact);
                    if (!IsAscending(exact))
                    {
                        throw new JsonException($"Not a valid OR-set: an element's dots must be strictly increasing; '{value}' names a dot twice.");
                    }
                }

                elements.Add(value, exact);
            }
        }
        finally
        {
            ArrayPool<Dot>.Shared.Return(scratch, clearArray: true);
        }
    }

    private static bool IsAscending(Dot[] dots)
    {
        for (int i = 1; i < dots.Length; i++)
        {
            if (dots[i - 1].CompareTo(dots[i]) >= 0)
            {
                return false;
            }
        }

        return true;
    }
}
