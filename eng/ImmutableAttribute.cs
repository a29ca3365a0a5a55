// Linked into every shipped assembly (see Directory.Build.props); internal so it adds nothing to the public API.
using System;

namespace Sync.Crdt.Annotations;

/// <summary>
/// Marks a type whose instances never change after construction. A reflection test in every test project
/// fails on a public type that is marked neither immutable nor mutable, and on an immutable class or struct
/// that declares a writable instance field.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Enum | AttributeTargets.Delegate, Inherited = false)]
internal sealed class ImmutableAttribute : Attribute
{
}
