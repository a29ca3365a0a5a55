using System;
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
        List<KeyValuePair<T, Dot[]>>? elements = null;
        CausalContext? context = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = JsonCrdtReading.PropertyName(ref reader, Owner);
            switch (name)
            {
                case "elements" when elements is null:
                    elements = ReadElements(ref reader, JsonValues.TypeInfo<T>(options));
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
        elements ??= [];
        IComparer<T> comparer = OrderedCodecs.DefaultOrder<T>(nameof(ORSet<T>));
        Comparison<KeyValuePair<T, Dot[]>> byElement = (x, y) => comparer.Compare(x.Key, y.Key);
        if (!JsonCrdtReading.IsSorted(elements, byElement))
        {
            elements.Sort(byElement);
        }

        var items = new T[elements.Count];
        var dots = new Dot[elements.Count][];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = elements[i].Key;
            dots[i] = elements[i].Value;
        }

        try
        {
            return ORSet<T>.FromParts(comparer, items, dots, context ?? CausalContext.Empty);
        }
        catch (ArgumentException ex)
        {
            throw new JsonException($"Not a valid OR-set: {ex.Message}", ex);
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

    private static List<KeyValuePair<T, Dot[]>> ReadElements(ref Utf8JsonReader reader, JsonTypeInfo<T> element)
    {
        const string Owner = "an OR-set element";
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartArray, "the elements array");
        var elements = new List<KeyValuePair<T, Dot[]>>();

        // One scratch list for every element's dots: each element allocates only its exact dot array.
        var scratch = new List<Dot>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            JsonCrdtReading.Expect(ref reader, JsonTokenType.StartObject, Owner);
            bool hasValue = false;
            T value = default!;
            List<Dot>? dots = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                string name = JsonCrdtReading.PropertyName(ref reader, Owner);
                switch (name)
                {
                    case "value" when !hasValue:
                        value = JsonValues.Read(ref reader, element);
                        hasValue = true;
                        break;
                    case "dots" when dots is null:
                        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartArray, "the dots array");
                        dots = scratch;
                        dots.Clear();
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            dots.Add(DotJsonConverter.ReadDot(ref reader));
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

            if (dots is null)
            {
                throw JsonCrdtReading.Missing("dots", Owner);
            }

            Dot[] exact = dots.ToArray();
            if (!IsAscending(exact))
            {
                Array.Sort(exact);
            }

            elements.Add(new KeyValuePair<T, Dot[]>(value, exact));
        }

        return elements;
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
