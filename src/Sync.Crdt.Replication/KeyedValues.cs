using System;
using System.Collections.Generic;
using System.Collections.Immutable;

namespace Sync.Crdt.Replication;

/// <summary>Validation and canonical ordering of (key, value) lists carried by messages and snapshots.</summary>
internal static class KeyedValues
{
    /// <summary>Returns the entries sorted by key (ordinal); throws on a null key or value or a repeated key.</summary>
    public static ImmutableArray<KeyValuePair<string, ReplicatedValue>> Normalize(IEnumerable<KeyValuePair<string, ReplicatedValue>> entries, string paramName)
    {
        ArgumentNullException.ThrowIfNull(entries, paramName);
        var builder = ImmutableArray.CreateBuilder<KeyValuePair<string, ReplicatedValue>>();
        foreach (KeyValuePair<string, ReplicatedValue> entry in entries)
        {
            if (entry.Key is null || entry.Value is null)
            {
                throw new ArgumentException("Keys and values must not be null.", paramName);
            }

            builder.Add(entry);
        }

        builder.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        for (int i = 1; i < builder.Count; i++)
        {
            if (string.Equals(builder[i - 1].Key, builder[i].Key, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Key '{builder[i].Key}' appears more than once.", paramName);
            }
        }

        return builder.DrainToImmutable();
    }
}
