using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sync.Crdt.Encoding.Json;

/// <summary>
/// Creates the converter of any CRDT type (<see cref="ICrdt{TSelf}"/>) System.Text.Json asks for, through a function
/// given by <see cref="SyncCrdtJson.AddSyncCrdt(JsonSerializerOptions)"/>, which is where the reflection it needs is
/// declared.
/// </summary>
internal sealed class SyncCrdtJsonConverterFactory(Func<Type, JsonConverter?> create) : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => create(typeToConvert) is not null;

    public override JsonConverter? CreateConverter(Type typeToConvert, JsonSerializerOptions options) => create(typeToConvert);
}
