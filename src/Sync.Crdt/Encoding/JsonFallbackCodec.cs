using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Encoding;

/// <summary>
/// Encodes values of <typeparamref name="T"/> as UTF-8 JSON written by System.Text.Json, length-prefixed (tag
/// <see cref="CrdtTypeTags.Json"/>): a fallback for application types without a dedicated codec.
/// </summary>
/// <typeparam name="T">The encoded type.</typeparam>
/// <remarks>
/// <para>The JSON is as deterministic as the type's JSON contract: System.Text.Json writes properties in
/// declaration order, but dictionaries and hash sets in their enumeration order, which may differ between equal
/// values. Prefer a dedicated <see cref="ICrdtValueCodec{T}"/> for set elements and map keys.</para>
/// <para>Decoding failures of System.Text.Json (malformed JSON, a value the type rejects) are reported as
/// <see cref="CrdtFormatException"/>. The payload obeys <see cref="CrdtSerializerOptions.MaxStringBytes"/> and the
/// JSON options' own <see cref="JsonSerializerOptions.MaxDepth"/>. Immutable and thread-safe.</para>
/// </remarks>
[Immutable]
public sealed class JsonFallbackCodec<T> : ICrdtValueCodec<T>
{
    private readonly JsonTypeInfo<T> _typeInfo;

    /// <summary>Creates a codec from JSON metadata for <typeparamref name="T"/> (trimming- and AOT-safe, for example from a source-generated <c>JsonSerializerContext</c>).</summary>
    /// <param name="typeInfo">The JSON contract of <typeparamref name="T"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="typeInfo"/> is <see langword="null"/>.</exception>
    public JsonFallbackCodec(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        _typeInfo = typeInfo;
    }

    /// <summary>Creates a codec that uses reflection-based JSON metadata from <paramref name="options"/>.</summary>
    /// <param name="options">The JSON options; made read-only by this call.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    [RequiresUnreferencedCode("Reflection-based JSON serialization may need members that trimming removes; pass a JsonTypeInfo instead.")]
    [RequiresDynamicCode("Reflection-based JSON serialization may need runtime code generation; pass a JsonTypeInfo instead.")]
    public JsonFallbackCodec(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.MakeReadOnly(populateMissingResolver: true);
        _typeInfo = (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
    }

    /// <summary>Gets <see cref="CrdtTypeTags.Json"/>.</summary>
    public int TypeTag => CrdtTypeTags.Json;

    /// <summary>Gets no type arguments: the JSON payload describes itself.</summary>
    public IReadOnlyList<ICrdtCodec> TypeArguments => Array.Empty<ICrdtCodec>();

    /// <summary>Writes the value's UTF-8 JSON, length-prefixed.</summary>
    /// <param name="writer">The destination.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is <see langword="null"/>.</exception>
    public void Encode(CrdtWriter writer, T value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLengthPrefixedBytes(JsonSerializer.SerializeToUtf8Bytes(value, _typeInfo));
    }

    /// <summary>Reads a length-prefixed UTF-8 JSON payload and deserializes it.</summary>
    /// <param name="reader">The source.</param>
    /// <returns>The value.</returns>
    /// <exception cref="CrdtFormatException">The payload is truncated, too long, or not JSON that <typeparamref name="T"/> accepts.</exception>
    public T Decode(ref CrdtReader reader)
    {
        int start = reader.Position;
        ReadOnlySpan<byte> json = reader.ReadLengthPrefixedBytes();
        try
        {
            return JsonSerializer.Deserialize(json, _typeInfo)!;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new CrdtFormatException($"The JSON payload is not a valid {typeof(T).Name}: {ex.Message}", start, ex);
        }
    }
}
