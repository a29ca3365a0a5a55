using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Encoding.Json;

/// <summary>
/// CausalContext as <c>{"vector":{"a":3},"cloud":[{"replica":"c","counter":5}]}</c>. Cloud dots may come in any
/// order; a duplicate, or a dot the vector covers or that is contiguous with it, is rejected (as in binary).
/// </summary>
internal sealed class CausalContextJsonConverter : JsonConverter<CausalContext>
{
    /// <summary>Gets the converter (stateless).</summary>
    public static CausalContextJsonConverter Instance { get; } = new();

    public override CausalContext Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadContext(ref reader);

    public override void Write(Utf8JsonWriter writer, CausalContext value, JsonSerializerOptions options) => WriteContext(writer, value);

    internal static void WriteContext(Utf8JsonWriter writer, CausalContext value)
    {
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WritePropertyName("vector");
        VersionVectorJsonConverter.WriteVector(writer, value.VersionVector);
        writer.WriteStartArray("cloud");
        foreach (Dot dot in value.DotCloud)
        {
            DotJsonConverter.WriteDot(writer, dot);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    internal static CausalContext ReadContext(ref Utf8JsonReader reader)
    {
        const string Owner = "a causal context";
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartObject, Owner);
        VersionVector? vector = null;
        List<Dot>? cloud = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = JsonCrdtReading.PropertyName(ref reader, Owner);
            switch (name)
            {
                case "vector" when vector is null:
                    vector = VersionVectorJsonConverter.ReadVector(ref reader);
                    break;
                case "cloud" when cloud is null:
                    JsonCrdtReading.Expect(ref reader, JsonTokenType.StartArray, "the dot cloud array");
                    cloud = [];
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        cloud.Add(DotJsonConverter.ReadDot(ref reader));
                    }

                    JsonCrdtReading.Expect(ref reader, JsonTokenType.EndArray, "the end of the dot cloud");
                    break;
                case "vector" or "cloud":
                    throw JsonCrdtReading.Duplicate(name, Owner);
                default:
                    throw JsonCrdtReading.UnknownProperty(name, Owner);
            }
        }

        JsonCrdtReading.Expect(ref reader, JsonTokenType.EndObject, "the end of a causal context");
        vector ??= VersionVector.Empty;
        if (cloud is null || cloud.Count == 0)
        {
            return CausalContext.Create(vector);
        }

        cloud.Sort();
        for (int i = 0; i < cloud.Count; i++)
        {
            Dot dot = cloud[i];
            if (i > 0 && dot == cloud[i - 1])
            {
                throw new JsonException($"Dot {dot} appears twice in a dot cloud.");
            }

            if (dot.Counter - 1 <= vector[dot.Replica])
            {
                throw new JsonException($"Dot cloud entry {dot} is covered by or contiguous with the version vector; a canonical context holds it in the vector.");
            }
        }

        return CausalContext.Normalize(vector, cloud.ToArray());
    }
}
