using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Sync.Crdt.Annotations;
using Sync.Crdt.Encoding.Codecs;

namespace Sync.Crdt.Encoding;

/// <summary>
/// Limits and codecs for the Sync.Crdt binary format: how large a message, collection, string or nesting a
/// decoder accepts, and which <see cref="ICrdtValueCodec{T}"/> encodes each element or value type.
/// </summary>
/// <remarks>
/// <para>The defaults (<see cref="Default"/>) are safe for input from untrusted peers: every length read from
/// the input is checked against these limits and against the bytes that remain <em>before</em> anything is
/// allocated, so a hostile message can make the decoder allocate at most a small multiple of its own size.
/// Lower them for endpoints that only ever see small deltas.</para>
/// <para>Codec lookup for a type <c>T</c> (<see cref="GetCodec{T}"/>): a codec registered with
/// <see cref="WithCodec{T}"/>; else a built-in codec (string, all integer types, bool, double, <see cref="Guid"/>,
/// <see cref="T:byte[]"/>, <see cref="DateTimeOffset"/>, nullable forms of those value types, the causality types,
/// <see cref="Counters.GCounter"/> and <see cref="Counters.PNCounter"/>); else the System.Text.Json fallback when
/// enabled with <c>WithJsonFallback</c>; else <see cref="NotSupportedException"/>. This lookup uses no reflection,
/// so it works under trimming and native AOT. The codec of a generic CRDT type (an <see cref="ICrdt{TSelf}"/> such as
/// <c>ORSet&lt;string&gt;</c>) is created through its type, <see cref="CrdtCodecs.For{T}"/>; register it with
/// <see cref="WithCodec{T}"/> when it is an element of another generic type. (The <see cref="CrdtSerializer"/>
/// overloads without a codec also compose generic CRDT codecs by reflection, which is why they are marked as
/// requiring unreferenced and dynamic code.) Resolved codecs are cached per options instance.</para>
/// <para>Immutable (every <c>With…</c> method and <see langword="init"/> accessor yields a new configuration) and
/// thread-safe.</para>
/// </remarks>
[Immutable]
public sealed class CrdtSerializerOptions
{
    private readonly int _maxMessageBytes = 16 * 1024 * 1024;
    private readonly int _maxElements = 1 << 20;
    private readonly int _maxDepth = 32;
    private readonly int _maxStringBytes = 1 << 20;
    private readonly ImmutableDictionary<Type, ICrdtCodec> _registered;
    private readonly JsonSerializerOptions? _jsonFallback;
    private readonly ConcurrentDictionary<Type, ICrdtCodec> _resolved = new();
    private readonly ConcurrentDictionary<Type, ICrdtCodec> _composed = new();

    /// <summary>Creates options with the default limits, no registered codecs and no JSON fallback.</summary>
    public CrdtSerializerOptions()
    {
        _registered = ImmutableDictionary<Type, ICrdtCodec>.Empty;
    }

    private CrdtSerializerOptions(CrdtSerializerOptions source, ImmutableDictionary<Type, ICrdtCodec> registered, JsonSerializerOptions? jsonFallback)
    {
        _maxMessageBytes = source._maxMessageBytes;
        _maxElements = source._maxElements;
        _maxDepth = source._maxDepth;
        _maxStringBytes = source._maxStringBytes;
        _registered = registered;
        _jsonFallback = jsonFallback;
    }

    /// <summary>Gets the default options: 16 MiB messages, 1,048,576 elements per collection, nesting depth 32, 1 MiB strings.</summary>
    public static CrdtSerializerOptions Default { get; } = new();

    /// <summary>Gets the largest message, in bytes, that a decoder accepts and an encoder produces. Default 16 MiB (a 100,000-key string map takes about 3 MB); raise it for larger states.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 16.</exception>
    public int MaxMessageBytes
    {
        get => _maxMessageBytes;
        init => _maxMessageBytes = AtLeast(value, 16);
    }

    /// <summary>
    /// Gets the largest number of elements in any one collection of a message (entries of a vector, set, map or
    /// dot list, and replicas in the replica table). Default 1,048,576.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public int MaxElements
    {
        get => _maxElements;
        init => _maxElements = AtLeast(value, 1);
    }

    /// <summary>
    /// Gets the deepest nesting of values a decoder or encoder accepts (a top-level value is depth 1; an ORSet
    /// of LWW registers of strings is depth 3). Default 32.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public int MaxDepth
    {
        get => _maxDepth;
        init => _maxDepth = AtLeast(value, 1);
    }

    /// <summary>Gets the longest string (in UTF-8 bytes) or byte array a decoder accepts. Default 1 MiB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to less than 1.</exception>
    public int MaxStringBytes
    {
        get => _maxStringBytes;
        init => _maxStringBytes = AtLeast(value, 1);
    }

    /// <summary>Gets a value indicating whether types without a codec fall back to System.Text.Json.</summary>
    public bool HasJsonFallback => _jsonFallback is not null;

    /// <summary>Returns options that encode <typeparamref name="T"/> with <paramref name="codec"/>, replacing any earlier registration or built-in codec for that type.</summary>
    /// <typeparam name="T">The element or value type.</typeparam>
    /// <param name="codec">The codec; immutable and thread-safe.</param>
    /// <returns>The new options (this instance is unchanged).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="codec"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The codec's <see cref="ICrdtCodec.TypeTag"/> is less than 1.</exception>
    public CrdtSerializerOptions WithCodec<T>(ICrdtValueCodec<T> codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        if (codec.TypeTag < 1)
        {
            throw new ArgumentException($"A codec's type tag must be at least 1; {codec.GetType().Name} has {codec.TypeTag}.", nameof(codec));
        }

        return new CrdtSerializerOptions(this, _registered.SetItem(typeof(T), codec), _jsonFallback);
    }

    /// <summary>
    /// Returns options that encode every type without a registered or built-in codec as UTF-8 JSON written by
    /// System.Text.Json with <paramref name="jsonOptions"/> (tag <see cref="CrdtTypeTags.Json"/>), using reflection
    /// for types the options' resolver does not describe. JSON is larger and slower than a dedicated codec, and its
    /// output is deterministic only if the type's JSON contract is (no dictionaries in hash order).
    /// </summary>
    /// <param name="jsonOptions">The JSON options, made read-only by this call; <see langword="null"/> for
    /// <see cref="JsonSerializerOptions.Default"/>.</param>
    /// <returns>The new options (this instance is unchanged).</returns>
    [RequiresUnreferencedCode("JSON serialization of arbitrary types may need members that trimming removes; register a codec or pass a source-generated IJsonTypeInfoResolver instead.")]
    [RequiresDynamicCode("JSON serialization of arbitrary types may need runtime code generation; register a codec or pass a source-generated IJsonTypeInfoResolver instead.")]
    public CrdtSerializerOptions WithJsonFallback(JsonSerializerOptions? jsonOptions = null)
    {
        JsonSerializerOptions json = jsonOptions ?? JsonSerializerOptions.Default;
        json.MakeReadOnly(populateMissingResolver: true);
        return new(this, _registered, json);
    }

    /// <summary>
    /// Returns options that encode every type without a registered or built-in codec as UTF-8 JSON, with the
    /// contracts of <paramref name="resolver"/> (for example a source-generated <c>JsonSerializerContext</c>, which
    /// works under trimming and native AOT). See <see cref="WithJsonFallback(JsonSerializerOptions)"/> for the
    /// trade-offs of JSON.
    /// </summary>
    /// <param name="resolver">The JSON contracts of the types the fallback encodes.</param>
    /// <returns>The new options (this instance is unchanged).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="resolver"/> is <see langword="null"/>.</exception>
    public CrdtSerializerOptions WithJsonFallback(IJsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        var json = new JsonSerializerOptions { TypeInfoResolver = resolver };
        json.MakeReadOnly();
        return new(this, _registered, json);
    }

    /// <summary>Returns the codec these options use for <typeparamref name="T"/> (see the lookup order in the remarks). Uses no reflection.</summary>
    /// <typeparam name="T">The type to encode.</typeparam>
    /// <returns>The codec.</returns>
    /// <exception cref="NotSupportedException">No codec is registered or built in for <typeparamref name="T"/> and the
    /// JSON fallback is off (for a generic CRDT type, use <see cref="CrdtCodecs.For{T}"/>, or register its codec).</exception>
    public ICrdtValueCodec<T> GetCodec<T>() =>
        TryGetCodec<T>() ?? throw new NotSupportedException(typeof(T).IsGenericType && !typeof(T).IsValueType
            ? $"No Sync.Crdt codec for {typeof(T)} is registered: create a CRDT type's codec with CrdtCodecs.For<T>() and register it with CrdtSerializerOptions.WithCodec (or pass it to the CrdtSerializer overloads that take a codec)."
            : $"No Sync.Crdt codec for {typeof(T)}: register one with CrdtSerializerOptions.WithCodec, or enable WithJsonFallback.");

    /// <summary>
    /// Returns the codec for <typeparamref name="T"/> as <see cref="GetCodec{T}"/> does and, when there is none and
    /// <typeparamref name="T"/> is a CRDT type, composes one from its type and its arguments' codecs by reflection.
    /// </summary>
    [RequiresUnreferencedCode(CrdtCodecComposer.Reason)]
    [RequiresDynamicCode(CrdtCodecComposer.Reason)]
    internal ICrdtValueCodec<T> ResolveCodec<T>()
    {
        ICrdtValueCodec<T>? codec = TryGetCodec<T>();
        if (codec is not null)
        {
            return codec;
        }

        if (_composed.TryGetValue(typeof(T), out ICrdtCodec? composed))
        {
            return (ICrdtValueCodec<T>)composed;
        }

        composed = CrdtCodecComposer.Compose(typeof(T), this);
        return composed is null ? GetCodec<T>() : (ICrdtValueCodec<T>)_composed.GetOrAdd(typeof(T), composed);
    }

    /// <summary>Returns the registered or built-in codec of <paramref name="type"/>, or <see langword="null"/>.</summary>
    internal ICrdtCodec? FindRegisteredOrBuiltIn(Type type) =>
        _registered.TryGetValue(type, out ICrdtCodec? registered) ? registered : BuiltInCodecs.Find(type);

    /// <summary>Returns options with <paramref name="codec"/> registered for <paramref name="type"/> (the codec's type is trusted).</summary>
    internal CrdtSerializerOptions WithCodec(Type type, ICrdtCodec codec) => new(this, _registered.SetItem(type, codec), _jsonFallback);

    private ICrdtValueCodec<T>? TryGetCodec<T>()
    {
        if (_resolved.TryGetValue(typeof(T), out ICrdtCodec? cached))
        {
            return (ICrdtValueCodec<T>)cached;
        }

        ICrdtValueCodec<T>? codec = (ICrdtValueCodec<T>?)FindRegisteredOrBuiltIn(typeof(T));
        if (codec is null && _jsonFallback is not null)
        {
            codec = new JsonFallbackCodec<T>((JsonTypeInfo<T>)_jsonFallback.GetTypeInfo(typeof(T)));
        }

        return codec is null ? null : (ICrdtValueCodec<T>)_resolved.GetOrAdd(typeof(T), codec);
    }

    private static int AtLeast(int value, int minimum)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, minimum);
        return value;
    }
}
