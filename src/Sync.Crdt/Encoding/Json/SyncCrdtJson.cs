using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sync.Crdt.Encoding.Json;

/// <summary>
/// Registers the System.Text.Json converters for every Sync.Crdt type: readable JSON for REST APIs, logs and
/// debugging that round-trips exactly (the decoded value equals the encoded one).
/// </summary>
/// <remarks>
/// Shapes (docs/wire-format.md has the full list): a replica id is a string (and may be a dictionary key); a
/// dot is <c>{"replica":"a","counter":3}</c>; a version vector is <c>{"a":3,"b":1}</c>; a causal context is
/// <c>{"vector":{…},"cloud":[dots]}</c>; a timestamp is <c>{"time":5,"replica":"a"}</c>; a G-counter is its counts
/// <c>{"a":3}</c>; a PN-counter is <c>{"increments":{…},"decrements":{…}}</c>; an LWW register is
/// <c>{"value":V,"timestamp":{…}}</c> (or <c>{}</c> when empty); an MV register is
/// <c>{"values":[{"replica":"a","counter":3,"value":V}],"context":{…}}</c>; an OR-set is
/// <c>{"elements":[{"value":E,"dots":[dots]}],"context":{…}}</c>; an LWW map is
/// <c>{"entries":[{"key":K,"value":V,"timestamp":{…}}, {"key":K,"deleted":true,"timestamp":{…}}]}</c>. Element values use the JSON contract
/// the same options give their type. Writers emit entries in
/// canonical order, so equal values give identical JSON; readers accept entries in any order but reject
/// duplicates, unknown properties and values that break an invariant, with a <see cref="JsonException"/> (the
/// exception System.Text.Json uses for all malformed input; it carries the JSON path, line and position).
/// </remarks>
public static class SyncCrdtJson
{
    /// <summary>Adds the Sync.Crdt converters to <paramref name="options"/> (which must not be in use yet).</summary>
    /// <param name="options">The options to configure.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="options"/> is read-only (already used for serialization).</exception>
    public static JsonSerializerOptions AddSyncCrdt(this JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (JsonConverter converter in CreateConverters())
        {
            options.Converters.Add(converter);
        }

        return options;
    }

    private static JsonConverter[] CreateConverters() =>
    [
        new ReplicaIdJsonConverter(),
        new DotJsonConverter(),
        new VersionVectorJsonConverter(),
        new CausalContextJsonConverter(),
        new LWWTimestampJsonConverter(),
        new GCounterJsonConverter(),
        new PNCounterJsonConverter(),
        new SyncCrdtJsonConverterFactory(),
    ];
}
