using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Maps;

/// <summary>
/// One update that keeps a key of an <see cref="ORMap{TKey, TValue}"/> alive: its dot, the incarnation its writer's
/// nested updates were made under, and the value the update wrote. The parts a codec writes and
/// <see cref="ORMap{TKey, TValue}.Create(IEnumerable{ORMapEntry{TKey, TValue}}, CausalContext, IComparer{TKey})"/>
/// reads back; a key has one entry per surviving concurrent update (usually one).
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The nested CRDT type.</typeparam>
/// <remarks>
/// Equality is structural: the same key (by <see cref="EqualityComparer{T}.Default"/>), dot, incarnation and value
/// (by the value's structural equality). The <see langword="default"/> entry is invalid and rejected by
/// <c>Create</c>. Immutable and thread-safe.
/// </remarks>
[Immutable]
public readonly struct ORMapEntry<TKey, TValue> : IEquatable<ORMapEntry<TKey, TValue>>
    where TKey : notnull
    where TValue : class, ICrdt<TValue>
{
    /// <summary>Creates an entry.</summary>
    /// <param name="key">The key.</param>
    /// <param name="dot">The update's dot.</param>
    /// <param name="incarnation">The counter of the update of <paramref name="dot"/>'s replica that started the lineage
    /// this update continues: from 1 to <paramref name="dot"/>'s counter. The nested value was written under the replica id
    /// <c>replica#incarnation</c>.</param>
    /// <param name="value">The value the update wrote.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="dot"/> is the default dot, or <paramref name="incarnation"/> is outside [1, dot counter].</exception>
    public ORMapEntry(TKey key, Dot dot, long incarnation, TValue value)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }

        ArgumentNullException.ThrowIfNull(value);
        ReplicaId.ThrowIfDefault(dot.Replica, nameof(dot));
        if (incarnation < 1 || incarnation > dot.Counter)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The incarnation {incarnation} must be between 1 and the dot's counter {dot.Counter}."), nameof(incarnation));
        }

        Key = key;
        Dot = dot;
        Incarnation = incarnation;
        Value = value;
    }

    /// <summary>Gets the key.</summary>
    public TKey Key { get; }

    /// <summary>Gets the update's dot.</summary>
    public Dot Dot { get; }

    /// <summary>Gets the counter of the update that started this writer's lineage of the key (1 to <see cref="Dot"/>'s counter).</summary>
    public long Incarnation { get; }

    /// <summary>Gets the value the update wrote.</summary>
    public TValue Value { get; }

    /// <summary>Returns <see langword="true"/> when both entries are equal.</summary>
    /// <param name="left">The first entry.</param>
    /// <param name="right">The second entry.</param>
    public static bool operator ==(ORMapEntry<TKey, TValue> left, ORMapEntry<TKey, TValue> right) => left.Equals(right);

    /// <summary>Returns <see langword="true"/> when the entries differ.</summary>
    /// <param name="left">The first entry.</param>
    /// <param name="right">The second entry.</param>
    public static bool operator !=(ORMapEntry<TKey, TValue> left, ORMapEntry<TKey, TValue> right) => !left.Equals(right);

    /// <summary>Returns <see langword="true"/> when both entries have the same key, dot, incarnation and value.</summary>
    /// <param name="other">The entry to compare with.</param>
    /// <returns>Whether the entries are equal.</returns>
    public bool Equals(ORMapEntry<TKey, TValue> other) =>
        Dot == other.Dot &&
        Incarnation == other.Incarnation &&
        EqualityComparer<TKey>.Default.Equals(Key, other.Key) &&
        EqualityComparer<TValue>.Default.Equals(Value, other.Value);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is ORMapEntry<TKey, TValue> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Key, Dot, Incarnation, Value);

    /// <summary>Returns the entry as <c>key=value @ replica:counter (incarnation n)</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Key}={Value} @ {Dot} (incarnation {Incarnation})");
}
