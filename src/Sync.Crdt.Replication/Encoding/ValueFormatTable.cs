using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Replication.Encoding;

/// <summary>The registered value formats, by CLR type (for writing) and by wire signature (for reading), and the keyed-value list layout shared by messages and snapshots.</summary>
internal sealed class ValueFormatTable
{
    private readonly Dictionary<Type, ReplicatedValueFormat> _byType = [];
    private readonly Dictionary<string, ReplicatedValueFormat> _bySignature = new(StringComparer.Ordinal);

    public ValueFormatTable(IEnumerable<ReplicatedValueFormat> formats)
    {
        ArgumentNullException.ThrowIfNull(formats);
        foreach (ReplicatedValueFormat format in formats)
        {
            ArgumentNullException.ThrowIfNull(format, nameof(formats));
            if (!_byType.TryAdd(format.ValueType, format) || !_bySignature.TryAdd(Convert.ToHexString(format.Signature), format))
            {
                throw new ArgumentException($"Two formats share the type {format.ValueType.Name} or its wire signature.", nameof(formats));
            }
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless every value has a registered format (checked before anything is written).</summary>
    public void ThrowIfUnregistered(ImmutableArray<KeyValuePair<string, ReplicatedValue>> values)
    {
        foreach (KeyValuePair<string, ReplicatedValue> entry in values)
        {
            if (!_byType.ContainsKey(entry.Value.ValueType))
            {
                throw new ArgumentException($"No ReplicatedValueFormat is registered for {entry.Value.ValueType.Name} (key '{entry.Key}').", nameof(values));
            }
        }
    }

    /// <summary>values = count, then per entry: key (string), signature (length-prefixed bytes), value (its codec).</summary>
    public void Write(CrdtWriter writer, ImmutableArray<KeyValuePair<string, ReplicatedValue>> values)
    {
        writer.WriteCount(values.Length);
        foreach (KeyValuePair<string, ReplicatedValue> entry in values)
        {
            ReplicatedValueFormat format = _byType[entry.Value.ValueType];
            writer.WriteString(entry.Key);
            writer.WriteLengthPrefixedBytes(format.Signature);
            format.Write(writer, entry.Value);
        }
    }

    public ImmutableArray<KeyValuePair<string, ReplicatedValue>> Read(ref CrdtReader reader)
    {
        int count = reader.ReadCount(minimumBytesPerElement: 3);
        var builder = ImmutableArray.CreateBuilder<KeyValuePair<string, ReplicatedValue>>(count);
        string? previous = null;
        for (int i = 0; i < count; i++)
        {
            int keyStart = reader.Position;
            string key = reader.ReadString();
            if (previous is not null && string.CompareOrdinal(previous, key) >= 0)
            {
                throw CrdtReader.Error("Keys must be sorted ordinally without repeats.", keyStart);
            }

            int signatureStart = reader.Position;
            ReadOnlySpan<byte> signature = reader.ReadLengthPrefixedBytes();
            if (!_bySignature.TryGetValue(Convert.ToHexString(signature), out ReplicatedValueFormat? format))
            {
                throw CrdtReader.Error($"No value format is registered for type signature {Convert.ToHexString(signature)} (key '{key}').", signatureStart);
            }

            int valueStart = reader.Position;
            ReplicatedValue value;
            try
            {
                value = format.Read(ref reader);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or OverflowException or FormatException and not CrdtFormatException)
            {
                throw new CrdtFormatException($"Invalid {format.ValueType.Name} value for key '{key}' at offset {valueStart}: {ex.Message}", ex);
            }

            builder.Add(new KeyValuePair<string, ReplicatedValue>(key, value));
            previous = key;
        }

        return builder.MoveToImmutable();
    }
}
