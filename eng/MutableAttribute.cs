// Linked into every shipped assembly (see Directory.Build.props); internal so it adds nothing to the public API.
using System;

namespace Sync.Crdt.Annotations;

/// <summary>
/// Marks a public type whose instances change after construction (builders, replicators, servers). Such a
/// type documents its thread-safety rules.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
internal sealed class MutableAttribute : Attribute
{
}
