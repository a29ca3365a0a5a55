using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Maps;

/// <summary>
/// The winning write of one key of an <see cref="LWWMap{TKey, TValue}"/>: a put (a value) or a tombstone (a
/// delete), with the timestamp that orders it. The parts a codec writes and
/// <see cref="LWWMap{TKey, TValue}.Create(IEnumerable{LWWMapEntry{TKey, TValue}}, IComparer{TKey})"/> reads back.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
/// <remarks>
/// Equality is structural: the same key, timestamp, kind and value (keys and values by
/// <see cref="EqualityComparer{T}.Default"/>). The <see langword="default"/> entry has no valid timestamp and is
/// rejected by <see cref="LWWMap{TKey, TValue}.Create(IEnumerable{LWWMapEntry{TKey, TValue}}, IComparer{TKey})"/>.
/// Immutable and thread-safe (provided the key and value are not mutated).
/// </remarks>
[Immutable]
public readonly struct LWWMapEntry<TKey, TValue> : IEquatable<LWWMapEntry<TKey, TValue>>
    where TKey : notnull
{
    private LWWMapEntry(LWWTimestamp timestamp, TKey key, TValue value, bool isDeleted)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }

        ReplicaId.ThrowIfDefault(timestamp.Replica, nameof(timestamp));
        Timestamp = timestamp;
        Key = key;
        Value = value;
        IsDeleted = isDeleted;
    }

    /// <summary>Creates the entry of a put: <paramref name="key"/> holds <paramref name="value"/>, written at <paramref name="timestamp"/>.</summary>
    /// <param name="timestamp">The write's timestamp.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value; <see langword="null"/> is allowed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="timestamp"/> is the default (invalid) timestamp.</exception>
    public LWWMapEntry(LWWTimestamp timestamp, TKey key, TValue value)
        : this(timestamp, key, value, isDeleted: false)
    {
    }

    /// <summary>Gets the write's timestamp.</summary>
    public LWWTimestamp Timestamp { get; }

    /// <summary>Gets the key.</summary>
    public TKey Key { get; }

    /// <summary>Gets the written value; <see langword="default"/> for a tombstone.</summary>
    public TValue Value { get; }

    /// <summary>Gets a value indicating whether the write was a delete (the entry is a tombstone).</summary>
    public bool IsDeleted { get; }

    /// <summary>Returns <see langword="true"/> when both entries are equal.</summary>
    /// <param name="left">The first entry.</param>
    /// <param name="right">The second entry.</param>
    public static bool operator ==(LWWMapEntry<TKey, TValue> left, LWWMapEntry<TKey, TValue> right) => left.Equals(right);

    /// <summary>Returns <see langword="true"/> when the entries differ.</summary>
    /// <param name="left">The first entry.</param>
    /// <param name="right">The second entry.</param>
    public static bool operator !=(LWWMapEntry<TKey, TValue> left, LWWMapEntry<TKey, TValue> right) => !left.Equals(right);

    /// <summary>Creates the entry of a delete: <paramref name="key"/> was removed at <paramref name="timestamp"/>.</summary>
    /// <param name="timestamp">The delete's timestamp.</param>
    /// <param name="key">The key.</param>
    /// <returns>The tombstone.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="timestamp"/> is the default (invalid) timestamp.</exception>
    [SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "A named factory says 'tombstone' where a constructor overload could not.")]
    public static LWWMapEntry<TKey, TValue> Tombstone(LWWTimestamp timestamp, TKey key) => new(timestamp, key, default!, isDeleted: true);

    /// <summary>Returns <see langword="true"/> when both entries have the same key, timestamp, kind and value.</summary>
    /// <param name="other">The entry to compare with.</param>
    /// <returns>Whether the entries are equal.</returns>
    public bool Equals(LWWMapEntry<TKey, TValue> other) =>
        Timestamp == other.Timestamp &&
        IsDeleted == other.IsDeleted &&
        EqualityComparer<TKey>.Default.Equals(Key, other.Key) &&
        EqualityComparer<TValue>.Default.Equals(Value, other.Value);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is LWWMapEntry<TKey, TValue> other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Timestamp, IsDeleted, Key, Value);

    /// <summary>Returns the entry as <c>key=value @ time@replica</c>, or <c>key deleted @ time@replica</c>.</summary>
    /// <returns>The text form.</returns>
    public override string ToString() => IsDeleted
        ? string.Create(CultureInfo.InvariantCulture, $"{Key} deleted @ {Timestamp}")
        : string.Create(CultureInfo.InvariantCulture, $"{Key}={Value} @ {Timestamp}");
}
