using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Sync.Crdt.Causality;
using Sync.Crdt.Registers;

namespace Sync.Crdt.Encoding.Json;

/// <summary>
/// LWWRegister as <c>{"value":V,"timestamp":{"time":5,"replica":"a"}}</c>, or <c>{}</c> when empty; the value
/// uses the JSON contract the options give <typeparamref name="T"/>.
/// </summary>
internal sealed class LWWRegisterJsonConverter<T> : JsonConverter<LWWRegister<T>>
{
    private LWWRegisterJsonConverter()
    {
    }

    /// <summary>Gets the converter (stateless: element metadata comes from the serializer's options on each call).</summary>
    public static LWWRegisterJsonConverter<T> Instance { get; } = new();

    public override LWWRegister<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        const string Owner = "an LWW register";
        JsonTypeInfo<T> valueInfo = JsonValues.TypeInfo<T>(options);
        JsonCrdtReading.Expect(ref reader, JsonTokenType.StartObject, Owner);
        bool hasValue = false;
        T value = default!;
        LWWTimestamp? timestamp = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = JsonCrdtReading.PropertyName(ref reader, Owner);
            switch (name)
            {
                case "value" when !hasValue:
                    value = JsonValues.Read(ref reader, valueInfo);
                    hasValue = true;
                    break;
                case "timestamp" when timestamp is null:
                    timestamp = LWWTimestampJsonConverter.ReadTimestamp(ref reader);
                    break;
                case "value" or "timestamp":
                    throw JsonCrdtReading.Duplicate(name, Owner);
                default:
                    throw JsonCrdtReading.UnknownProperty(name, Owner);
            }
        }

        JsonCrdtReading.Expect(ref reader, JsonTokenType.EndObject, "the end of an LWW register");
        if (hasValue != timestamp.HasValue)
        {
            throw JsonCrdtReading.Missing(hasValue ? "timestamp" : "value", Owner);
        }

        return timestamp is { } written ? LWWRegister<T>.Create(written, value) : LWWRegister<T>.Empty;
    }

    public override void Write(Utf8JsonWriter writer, LWWRegister<T> value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        if (value.TryGetValue(out T? content))
        {
            writer.WritePropertyName("value");
            JsonSerializer.Serialize(writer, content, JsonValues.TypeInfo<T>(options));
            writer.WritePropertyName("timestamp");
            LWWTimestampJsonConverter.WriteTimestamp(writer, value.Timestamp);
        }

        writer.WriteEndObject();
    }
}
