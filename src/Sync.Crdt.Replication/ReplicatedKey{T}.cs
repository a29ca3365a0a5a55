using System;
using System.Diagnostics.CodeAnalysis;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication;

/// <summary>
/// The name of a replicated value together with its CRDT type: the key a <see cref="DeltaReplicator"/> stores a
/// <typeparamref name="T"/> under. Because the type travels with the key, reading or updating a key with another
/// type does not compile, and the mutator's lambda infers its parameter types from the key.
/// </summary>
/// <typeparam name="T">The CRDT type stored under the key.</typeparam>
/// <remarks>
/// <para>Declare each key once, typically as a <see langword="static readonly"/> field shared by every replica:
/// <c>static readonly ReplicatedKey&lt;ORSet&lt;string&gt;&gt; Cart = new("cart");</c>. The name is what travels on
/// the wire (with the value's type signature); replicas that exchange a key must agree on its type. Two keys with
/// one name and different types in one process are a programming error, reported when the second is used
/// (<see cref="InvalidOperationException"/>); a peer that sends another type under a name is rejected with a
/// <see cref="ReplicationProtocolException"/>.</para>
/// <para><b>Equality</b>: two keys are equal when their names are equal (ordinal); the type is part of the static
/// type. Immutable and thread-safe.</para>
/// </remarks>
[Immutable]
public sealed class ReplicatedKey<T> : IEquatable<ReplicatedKey<T>>
    where T : class, IMergeable<T>
{
    /// <summary>Creates a key.</summary>
    /// <param name="name">The name the value is stored and replicated under; any string, compared ordinally.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    public ReplicatedKey(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
    }

    /// <summary>Gets the name the value is stored and replicated under.</summary>
    public string Name { get; }

    /// <summary>Returns <see langword="true"/> when both keys have the same name (ordinal).</summary>
    /// <param name="other">The key to compare with.</param>
    /// <returns>Whether the keys are equal.</returns>
    public bool Equals([NotNullWhen(true)] ReplicatedKey<T>? other) =>
        other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as ReplicatedKey<T>);

    /// <summary>Returns the name's ordinal hash code.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <summary>Returns the name and the type, for logs.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"{Name} ({typeof(T).Name})";
}
