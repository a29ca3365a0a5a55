using System;
using System.Diagnostics.CodeAnalysis;
using Sync.Crdt.Annotations;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Causality;

/// <summary>
/// The identity of one replica (a server, a data center, a device): the actor that mutates replicated values.
/// </summary>
/// <remarks>
/// <para>A replica id wraps a non-empty string of at most <see cref="MaxLength"/> UTF-16 code units. Ids are
/// compared ordinally (code unit by code unit, culture-independent), which gives every replica the same
/// stable total order; that order breaks ties deterministically, for example between two last-writer-wins
/// writes with equal timestamps (the higher id wins).</para>
/// <para>Each replica must use an id no other replica uses. Reusing an id after losing a replica's state
/// (for example restoring a device from an old backup) can make its new writes collide with writes other
/// replicas already saw; mint a fresh id in that case (<see cref="NewId"/>).</para>
/// <para>The <see langword="default"/> value is not a valid id (<see cref="IsDefault"/> is
/// <see langword="true"/>); every API that takes a replica id rejects it with an
/// <see cref="ArgumentException"/>.</para>
/// <para>Equality, hashing and ordering are ordinal and allocation-free. This type is an immutable value and
/// thread-safe.</para>
/// </remarks>
[Immutable]
public readonly struct ReplicaId : IEquatable<ReplicaId>, IComparable<ReplicaId>, IComparable
{
    /// <summary>The largest number of UTF-16 code units an id may have (256).</summary>
    public const int MaxLength = 256;

    private readonly string? _value;

    /// <summary>Creates a replica id from its string form.</summary>
    /// <param name="value">The id: non-empty, at most <see cref="MaxLength"/> UTF-16 code units, no unpaired
    /// surrogates (so that it survives a UTF-8 round trip).</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty, too long or not valid UTF-16.</exception>
    public ReplicaId(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string? problem = Validate(value);
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(value));
        }

        _value = value;
    }

    /// <summary>Gets the id's string form.</summary>
    /// <exception cref="InvalidOperationException">This is the <see langword="default"/> (invalid) id.</exception>
    public string Value => _value ?? throw new InvalidOperationException("The default ReplicaId is not a valid replica id.");

    /// <summary>Gets a value indicating whether this is the <see langword="default"/> value, which is not a valid id.</summary>
    public bool IsDefault => _value is null;

    /// <summary>Creates a fresh random id (a 128-bit GUID in its 32-hex-digit form), unique with overwhelming probability.</summary>
    /// <returns>A new replica id.</returns>
    public static ReplicaId NewId() => new(Guid.NewGuid().ToString("N"));

    /// <summary>Creates a replica id from its string form; the same as the constructor.</summary>
    /// <param name="value">The id's string form.</param>
    /// <returns>The replica id.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty, too long or not valid UTF-16.</exception>
    public static ReplicaId Parse(string value) => new(value);

    /// <summary>Tries to create a replica id from a string without throwing.</summary>
    /// <param name="value">The candidate string.</param>
    /// <param name="id">The id when the string is valid; otherwise <see langword="default"/>.</param>
    /// <returns><see langword="true"/> when <paramref name="value"/> is a valid id.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, out ReplicaId id)
    {
        if (value is null || Validate(value) is not null)
        {
            id = default;
            return false;
        }

        id = new ReplicaId(value, trusted: true);
        return true;
    }

    /// <summary>Converts a string to a replica id, validating it like the constructor.</summary>
    /// <param name="value">The id's string form.</param>
    public static implicit operator ReplicaId(string value) => new(value);

    /// <summary>Returns <see langword="true"/> when both ids are ordinally equal.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    public static bool operator ==(ReplicaId left, ReplicaId right) => left.Equals(right);

    /// <summary>Returns <see langword="true"/> when the ids differ.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    public static bool operator !=(ReplicaId left, ReplicaId right) => !left.Equals(right);

    /// <summary>Returns <see langword="true"/> when <paramref name="left"/> orders before <paramref name="right"/>.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    public static bool operator <(ReplicaId left, ReplicaId right) => left.CompareTo(right) < 0;

    /// <summary>Returns <see langword="true"/> when <paramref name="left"/> orders after <paramref name="right"/>.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    public static bool operator >(ReplicaId left, ReplicaId right) => left.CompareTo(right) > 0;

    /// <summary>Returns <see langword="true"/> unless <paramref name="left"/> orders after <paramref name="right"/>.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    public static bool operator <=(ReplicaId left, ReplicaId right) => left.CompareTo(right) <= 0;

    /// <summary>Returns <see langword="true"/> unless <paramref name="left"/> orders before <paramref name="right"/>.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    public static bool operator >=(ReplicaId left, ReplicaId right) => left.CompareTo(right) >= 0;

    /// <summary>Compares ordinally; the <see langword="default"/> id orders before every valid id.</summary>
    /// <param name="other">The id to compare with.</param>
    /// <returns>Negative, zero or positive as this id orders before, equal to or after <paramref name="other"/>.</returns>
    public int CompareTo(ReplicaId other) => OrdinalEqualFirst.Compare(_value, other._value);

    /// <inheritdoc />
    int IComparable.CompareTo(object? obj) => obj switch
    {
        null => 1,
        ReplicaId other => CompareTo(other),
        _ => throw new ArgumentException("Object must be a ReplicaId.", nameof(obj)),
    };

    /// <summary>Returns <see langword="true"/> when both ids are ordinally equal.</summary>
    /// <param name="other">The id to compare with.</param>
    /// <returns>Whether the ids are equal.</returns>
    public bool Equals(ReplicaId other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is ReplicaId other && Equals(other);

    /// <summary>Returns an ordinal hash of the id (randomized per process, like every string hash).</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => _value is null ? 0 : string.GetHashCode(_value, StringComparison.Ordinal);

    /// <summary>Returns the id's string form, or <c>(default)</c> for the invalid default value.</summary>
    /// <returns>The string form.</returns>
    public override string ToString() => _value ?? "(default)";

    /// <summary>Throws when <paramref name="replica"/> is the invalid default id.</summary>
    internal static void ThrowIfDefault(ReplicaId replica, string paramName)
    {
        if (replica.IsDefault)
        {
            throw new ArgumentException("The default ReplicaId is not a valid replica id.", paramName);
        }
    }

    /// <summary>Creates an id from a string the caller has already validated (decoders).</summary>
    internal ReplicaId(string value, bool trusted)
    {
        _ = trusted;
        _value = value;
    }

    /// <summary>Returns a description of what makes <paramref name="value"/> invalid, or <see langword="null"/>.</summary>
    internal static string? Validate(string value)
    {
        if (value.Length == 0)
        {
            return "A replica id must not be empty.";
        }

        if (value.Length > MaxLength)
        {
            return $"A replica id must have at most {MaxLength} UTF-16 code units; this one has {value.Length}.";
        }

        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return $"A replica id must be valid UTF-16; an unpaired high surrogate stands at index {i}.";
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return $"A replica id must be valid UTF-16; an unpaired low surrogate stands at index {i}.";
            }
        }

        return null;
    }
}
