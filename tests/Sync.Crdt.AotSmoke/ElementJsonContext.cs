using System;
using System.Text.Json.Serialization;

namespace Sync.Crdt.AotSmoke;

/// <summary>Source-generated JSON contracts of the element types only; Sync.Crdt describes its own types.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(Guid))]
internal sealed partial class ElementJsonContext : JsonSerializerContext;
