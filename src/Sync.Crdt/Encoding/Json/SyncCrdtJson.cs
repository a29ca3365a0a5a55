using System;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Sync.Crdt.Encoding.Codecs;

namespace Sync.Crdt.Encoding.Json;

/// <summary>
/// Registers the System.Text.Json converters for Sync.Crdt's types: readable JSON for REST APIs, logs and
/// debugging that round-trips exactly (the decoded value equals the encoded one).
/// </summary>
/// <remarks>
/// <para>Shapes (docs/wire-format.md has the full list): a replica id is a string (and may be a dictionary key); a
/// dot is <c>{"replica":"a","counter":3}</c>; a version vector is <c>{"a":3,"b":1}</c>; a causal context is
/// <c>{"vector":{…},"cloud":[dots]}</c>; a timestamp is <c>{"time":5,"replica":"a"}</c>; a G-counter is its counts
/// <c>{"a":3}</c>; a PN-counter is <c>{"increments":{…},"decrements":{…}}</c>; an LWW register is
/// <c>{"value":V,"timestamp":{…}}</c> (or <c>{}</c> when empty); an MV register is
/// <c>{"values":[{"replica":"a","counter":3,"value":V}],"context":{…}}</c>; an OR-set is
/// <c>{"elements":[{"value":E,"dots":[dots]}],"context":{…}}</c>; an LWW map is
/// <c>{"entries":[{"key":K,"value":V,"timestamp":{…}}, {"key":K,"deleted":true,"timestamp":{…}}]}</c>. Element
/// values use the JSON contract the same options give their type. Writers emit entries in canonical order, so
/// equal values give identical JSON; readers accept entries in any order but reject duplicates, unknown properties
/// and values that break an invariant, with a <see cref="JsonException"/> (the exception System.Text.Json uses for
/// all malformed input; it carries the JSON path, line and position).</para>
/// <para><b>Trimming and native AOT.</b> <see cref="AddSyncCrdt(JsonSerializerOptions)"/> finds the converter of any
/// generic CRDT type when System.Text.Json asks for it, which takes reflection. Under trimming or native AOT, call
/// <see cref="AddSyncCrdt{T}"/> once per CRDT type you serialize (nested ones included), with options whose
/// <see cref="JsonSerializerOptions.TypeInfoResolver"/> (typically a source-generated context) describes the element
/// types.</para>
/// </remarks>
public static class SyncCrdtJson
{
    private const string Reason =
        "Creating the converter of a generic CRDT type from a Type uses reflection; call AddSyncCrdt<T>() for each CRDT type instead.";

    private static readonly MethodInfo ConverterOfMethod =
        typeof(SyncCrdtJson).GetMethod(nameof(ConverterOf), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>
    /// Adds the converters of every Sync.Crdt type to <paramref name="options"/> (which must not be in use yet):
    /// the causality types, the counters, and a factory that serves every CRDT type (<see cref="ICrdt{TSelf}"/>,
    /// including closed generic ones such as <c>ORSet&lt;string&gt;</c>) by reflection.
    /// </summary>
    /// <param name="options">The options to configure.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="options"/> is read-only (already used for serialization).</exception>
    [RequiresUnreferencedCode(Reason)]
    [RequiresDynamicCode(Reason)]
    public static JsonSerializerOptions AddSyncCrdt(this JsonSerializerOptions options)
    {
        AddCore(options);
        options.Converters.Add(new SyncCrdtJsonConverterFactory(static type =>
            CrdtCodecComposer.IsCrdt(type) ? (JsonConverter)ConverterOfMethod.MakeGenericMethod(type).Invoke(null, null)! : null));
        return options;
    }

    /// <summary>
    /// Adds the converter of the CRDT type <typeparamref name="T"/> (<see cref="ICrdt{TSelf}.JsonConverter"/>) and the
    /// converters of the causality types to <paramref name="options"/> (which must not be in use yet). No
    /// reflection: this works under trimming and native AOT, given a <see cref="JsonSerializerOptions.TypeInfoResolver"/>
    /// that describes <typeparamref name="T"/>'s element types. Call it once per CRDT type, nested ones included;
    /// calling it again for a type changes nothing.
    /// </summary>
    /// <typeparam name="T">The CRDT type, for example <c>ORSet&lt;string&gt;</c>.</typeparam>
    /// <param name="options">The options to configure.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="options"/> is read-only (already used for serialization).</exception>
    public static JsonSerializerOptions AddSyncCrdt<T>(this JsonSerializerOptions options)
        where T : class, ICrdt<T>
    {
        AddCore(options);
        Add(options, T.JsonConverter);
        return options;
    }

    private static JsonConverter ConverterOf<T>()
        where T : class, ICrdt<T> => T.JsonConverter;

    private static void AddCore(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Add(options, ReplicaIdJsonConverter.Instance);
        Add(options, DotJsonConverter.Instance);
        Add(options, VersionVectorJsonConverter.Instance);
        Add(options, CausalContextJsonConverter.Instance);
        Add(options, LWWTimestampJsonConverter.Instance);
    }

    private static void Add(JsonSerializerOptions options, JsonConverter converter)
    {
        if (!options.Converters.Contains(converter))
        {
            options.Converters.Add(converter);
        }
    }
}
