using System;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Sync.Crdt.Encoding.Json;

/// <summary>
/// Describes the Sync.Crdt types added with <see cref="SyncCrdtJson.AddSyncCrdt{T}"/> to options that use a
/// resolver chain (typically a source-generated context that does not list them): each type's contract is its
/// converter, created without reflection. It sits last in the chain, so a context that lists a type wins.
/// </summary>
internal sealed class SyncCrdtJsonTypeInfoResolver : IJsonTypeInfoResolver
{
    private readonly ConcurrentDictionary<Type, Func<JsonSerializerOptions, JsonTypeInfo>> _types = new();

    public void Add<T>(JsonConverter<T> converter) =>
        _types.TryAdd(typeof(T), options => JsonMetadataServices.CreateValueInfo<T>(options, converter));

    public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options) =>
        _types.TryGetValue(type, out Func<JsonSerializerOptions, JsonTypeInfo>? create) ? create(options) : null;
}
