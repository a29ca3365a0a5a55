using System;
using System.Text.Json;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Encoding.Json;

/// <summary>Validating reads shared by the JSON converters; every failure is a <see cref="JsonException"/>.</summary>
internal static class JsonCrdtReading
{
    [System.ThreadStatic]
    private static RecentStrings? _recentNames;

    [System.ThreadStatic]
    private static RecentStrings? _recentReplicas;

    /// <summary>
    /// Returns whether <paramref name="items"/> is already in ascending order (JSON written by these converters is),
    /// so readers sort only input that needs it.
    /// </summary>
    public static bool IsSorted<T>(System.Collections.Generic.List<T> items, System.Comparison<T> comparison)
    {
        for (int i = 1; i < items.Count; i++)
        {
            if (comparison(items[i - 1], items[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType token, string what)
    {
        if (reader.TokenType != token)
        {
            throw new JsonException($"Expected {what} ({token}), found {reader.TokenType}.");
        }
    }

    public static void Next(ref Utf8JsonReader reader, JsonTokenType token, string what)
    {
        if (!reader.Read())
        {
            throw new JsonException($"Unexpected end of JSON; expected {what}.");
        }

        Expect(ref reader, token, what);
    }

    public static ReplicaId Replica(string? text)
    {
        if (text is null || !ReplicaId.TryParse(text, out ReplicaId replica))
        {
            throw new JsonException($"'{text}' is not a valid replica id (1 to {ReplicaId.MaxLength} UTF-16 code units, valid UTF-16).");
        }

        return replica;
    }

    public static ReplicaId ReadReplica(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.String, "a replica id string");

        // A state names few replicas many times: reuse the id last read with the same (unescaped) bytes.
        RecentStrings cache = _recentReplicas ??= new RecentStrings();
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && cache.TryGet(reader.ValueSpan, out string? known))
        {
            return new ReplicaId(known, trusted: true);
        }

        ReplicaId replica = Replica(reader.GetString());
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            cache.Add(reader.ValueSpan, replica.Value);
        }

        return replica;
    }

    public static long ReadCounter(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.Number, "a counter");
        if (!reader.TryGetInt64(out long counter) || counter < 1)
        {
            throw new JsonException($"A counter must be an integer from 1 to {long.MaxValue}.");
        }

        return counter;
    }

    public static long ReadNonNegative(ref Utf8JsonReader reader, string what)
    {
        Expect(ref reader, JsonTokenType.Number, what);
        if (!reader.TryGetInt64(out long value) || value < 0)
        {
            throw new JsonException($"{what} must be an integer from 0 to {long.MaxValue}.");
        }

        return value;
    }

    public static string PropertyName(ref Utf8JsonReader reader, string owner)
    {
        if (reader.TokenType != JsonTokenType.PropertyName)
        {
            Expect(ref reader, JsonTokenType.PropertyName, $"a property of {owner}");
        }

        // Property names repeat once per entry: reuse the string of the same (unescaped) name read recently.
        RecentStrings cache = _recentNames ??= new RecentStrings();
        string name;
        if (!reader.ValueIsEscaped && !reader.HasValueSequence && cache.TryGet(reader.ValueSpan, out string? known))
        {
            name = known;
        }
        else
        {
            name = reader.GetString()!;
            if (!reader.ValueIsEscaped && !reader.HasValueSequence)
            {
                cache.Add(reader.ValueSpan, name);
            }
        }

        if (!reader.Read())
        {
            throw new JsonException($"Unexpected end of JSON after property '{name}'.");
        }

        return name;
    }

    /// <summary>
    /// Reads a property name like <see cref="PropertyName(ref Utf8JsonReader, string)"/>, returning the instance
    /// <paramref name="first"/> or <paramref name="second"/> without a lookup when the (unescaped) name is one of
    /// them: the names every entry of a bulk value repeats.
    /// </summary>
    public static string PropertyName(ref Utf8JsonReader reader, string owner, ReadOnlySpan<byte> firstUtf8, string first, ReadOnlySpan<byte> secondUtf8, string second)
    {
        if (reader.TokenType == JsonTokenType.PropertyName && !reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            ReadOnlySpan<byte> utf8 = reader.ValueSpan;
            string? known = utf8.SequenceEqual(firstUtf8) ? first : utf8.SequenceEqual(secondUtf8) ? second : null;
            if (known is not null)
            {
                if (!reader.Read())
                {
                    throw new JsonException($"Unexpected end of JSON after property '{known}'.");
                }

                return known;
            }
        }

        return PropertyName(ref reader, owner);
    }

    public static JsonException UnknownProperty(string name, string owner) =>
        new($"Unknown property '{name}' in {owner}.");

    public static JsonException Duplicate(string name, string owner) =>
        new($"Property '{name}' appears twice in {owner}.");

    public static JsonException Missing(string name, string owner) =>
        new($"{owner} lacks the required property '{name}'.");
}
