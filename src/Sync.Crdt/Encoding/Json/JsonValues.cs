using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Sync.Crdt.Encoding.Json;

/// <summary>Reads and writes element values through the JSON contract the caller's options give their type.</summary>
internal static class JsonValues
{
    public static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));

    public static T Read<T>(ref Utf8JsonReader reader, JsonTypeInfo<T> info)
    {
        if (typeof(T) == typeof(string) && reader.TokenType == JsonTokenType.String && ReferenceEquals(info.Converter, JsonMetadataServices.StringConverter))
        {
            // The built-in string converter reads exactly this; skip the serializer's entry point.
            string text = reader.GetString()!;
            return System.Runtime.CompilerServices.Unsafe.As<string, T>(ref text);
        }

        T? value = JsonSerializer.Deserialize(ref reader, info);
        if (value is null && default(T) is not null)
        {
            throw new JsonException($"A {typeof(T).Name} value must not be null.");
        }

        return value!;
    }
}
