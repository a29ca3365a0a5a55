using System;
using System.Buffers;
using System.Collections.Generic;
using System.Collections.Immutable;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Replication.Encoding;

/// <summary>
/// The binary encoding of <see cref="ReplicationMessage"/>s and <see cref="ReplicatorSnapshot"/>s. Values are
/// written by the <see cref="ReplicatedValueFormat"/> registered for their type; everything around them (kind,
/// replica ids, version vectors, keys) by this codec. The layout is specified in docs/replication.md.
/// </summary>
/// <remarks>
/// <para>Layout: a format version byte (1), a kind byte, a table of the replica ids the message names (each
/// written once as length-prefixed UTF-8), the sender as an index into that table, then the kind's fields.
/// Version vectors are a count and (replica index, counter) pairs; keyed values are a count and
/// (key, format tag, length-prefixed payload) triples. Integers are unsigned LEB128 varints in shortest
/// form. Encoding is deterministic: equal messages encode to identical bytes.</para>
/// <para>Decoding validates everything, never allocates from a length it has not checked against the input,
/// and throws only <see cref="CrdtFormatException"/> (a reader that throws anything else is wrapped in one).</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
[Immutable]
public sealed class ReplicationMessageCodec
{
    /// <summary>The format version this codec writes and reads.</summary>
    public const byte FormatVersion = 1;

    private const byte DigestKind = 1;
    private const byte DeltaGroupKind = 2;
    private const byte FullStateKind = 3;
    private const byte SnapshotKind = 4;

    private readonly Dictionary<Type, ReplicatedValueFormat> _byType;
    private readonly Dictionary<int, ReplicatedValueFormat> _byTag;

    /// <summary>Creates a codec for the given value formats.</summary>
    /// <param name="formats">One format per replicated CRDT type.</param>
    /// <exception cref="ArgumentNullException"><paramref name="formats"/> or an element is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two formats share a tag or a type.</exception>
    public ReplicationMessageCodec(IEnumerable<ReplicatedValueFormat> formats)
    {
        ArgumentNullException.ThrowIfNull(formats);
        _byType = [];
        _byTag = [];
        foreach (ReplicatedValueFormat format in formats)
        {
            ArgumentNullException.ThrowIfNull(format, nameof(formats));
            if (!_byType.TryAdd(format.ValueType, format) || !_byTag.TryAdd(format.Tag, format))
            {
                throw new ArgumentException($"Two formats share tag {format.Tag} or type {format.ValueType.Name}.", nameof(formats));
            }
        }
    }

    /// <summary>Encodes a message into a new array.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value's type has no registered format.</exception>
    public byte[] Encode(ReplicationMessage message)
    {
        var output = new ArrayBufferWriter<byte>();
        Encode(message, output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Encodes a message. O(size of the message).</summary>
    /// <param name="message">The message.</param>
    /// <param name="output">Where to write.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value's type has no registered format.</exception>
    public void Encode(ReplicationMessage message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        switch (message)
        {
            case DigestMessage digest:
                Write(output, DigestKind, message.Sender, [digest.Vector], []);
                break;
            case DeltaGroupMessage group:
                Write(output, DeltaGroupKind, message.Sender, [group.Base, group.Top], group.Deltas);
                break;
            case FullStateMessage full:
                Write(output, FullStateKind, message.Sender, [full.Vector], full.Values);
                break;
            default:
                throw new ArgumentException($"Unknown message type {message.GetType()}.", nameof(message));
        }
    }

    /// <summary>Returns the encoded size of a message in bytes, without keeping the bytes.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The size in bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value's type has no registered format.</exception>
    public int GetEncodedSize(ReplicationMessage message)
    {
        var output = new ArrayBufferWriter<byte>();
        Encode(message, output);
        return output.WrittenCount;
    }

    /// <summary>Decodes a message.</summary>
    /// <param name="data">Exactly one encoded message.</param>
    /// <returns>The message.</returns>
    /// <exception cref="CrdtFormatException">The data is not a valid message (truncated, corrupt, unknown version,
    /// kind or tag, trailing bytes).</exception>
    public ReplicationMessage Decode(ReadOnlySpan<byte> data)
    {
        var reader = new WireReader(data);
        byte kind = ReadHeader(ref reader);
        ReplicaId[] table = ReadTable(ref reader);
        ReplicaId sender = ReadReplica(ref reader, table);
        ReplicationMessage message;
        switch (kind)
        {
            case DigestKind:
                message = new DigestMessage(sender, ReadVector(ref reader, table));
                break;
            case DeltaGroupKind:
                VersionVector baseVector = ReadVector(ref reader, table);
                VersionVector top = ReadVector(ref reader, table);
                message = new DeltaGroupMessage(sender, baseVector, top, ReadValues(ref reader));
                break;
            case FullStateKind:
                VersionVector vector = ReadVector(ref reader, table);
                message = new FullStateMessage(sender, vector, ReadValues(ref reader));
                break;
            default:
                throw new CrdtFormatException($"Unknown replication message kind {kind}.", 1);
        }

        ThrowIfTrailing(ref reader);
        return message;
    }

    /// <summary>Encodes a snapshot (the replicator's durable state) into a new array.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value's type has no registered format.</exception>
    public byte[] EncodeSnapshot(ReplicatorSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var output = new ArrayBufferWriter<byte>();
        Write(output, SnapshotKind, snapshot.Replica, [snapshot.Vector], snapshot.Values);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Decodes a snapshot.</summary>
    /// <param name="data">Exactly one encoded snapshot.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="CrdtFormatException">The data is not a valid snapshot.</exception>
    public ReplicatorSnapshot DecodeSnapshot(ReadOnlySpan<byte> data)
    {
        var reader = new WireReader(data);
        byte kind = ReadHeader(ref reader);
        if (kind != SnapshotKind)
        {
            throw new CrdtFormatException($"Expected a snapshot (kind {SnapshotKind}), found kind {kind}.", 1);
        }

        ReplicaId[] table = ReadTable(ref reader);
        ReplicaId replica = ReadReplica(ref reader, table);
        VersionVector vector = ReadVector(ref reader, table);
        var snapshot = new ReplicatorSnapshot(replica, vector, ReadValues(ref reader));
        ThrowIfTrailing(ref reader);
        return snapshot;
    }

    private static byte ReadHeader(ref WireReader reader)
    {
        byte version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw new CrdtFormatException($"Unsupported replication format version {version}; this codec reads version {FormatVersion}.", 0);
        }

        return reader.ReadByte();
    }

    private static ReplicaId[] ReadTable(ref WireReader reader)
    {
        int count = reader.ReadCount(2);
        if (count == 0)
        {
            throw reader.Fail("The replica table must name at least the sender.");
        }

        var table = new ReplicaId[count];
        var seen = new HashSet<ReplicaId>();
        for (int i = 0; i < count; i++)
        {
            int start = reader.Position;
            string text = reader.ReadString();
            if (!ReplicaId.TryParse(text, out ReplicaId id))
            {
                throw new CrdtFormatException("Invalid replica id in the replica table.", start);
            }

            if (!seen.Add(id))
            {
                throw new CrdtFormatException($"Replica id '{id}' appears twice in the replica table.", start);
            }

            table[i] = id;
        }

        return table;
    }

    private static ReplicaId ReadReplica(ref WireReader reader, ReplicaId[] table)
    {
        int start = reader.Position;
        ulong index = reader.ReadVarint();
        if (index >= (ulong)table.Length)
        {
            throw new CrdtFormatException($"Replica index {index} is outside the table of {table.Length}.", start);
        }

        return table[index];
    }

    private static VersionVector ReadVector(ref WireReader reader, ReplicaId[] table)
    {
        int count = reader.ReadCount(2);
        if (count == 0)
        {
            return VersionVector.Empty;
        }

        var dots = new Dot[count];
        ReplicaId previous = default;
        for (int i = 0; i < count; i++)
        {
            int start = reader.Position;
            ReplicaId replica = ReadReplica(ref reader, table);
            if (i > 0 && previous.CompareTo(replica) >= 0)
            {
                throw new CrdtFormatException("Version vector entries must be sorted by replica id without repeats.", start);
            }

            dots[i] = new Dot(replica, reader.ReadPositiveLong());
            previous = replica;
        }

        return VersionVector.Create(dots);
    }

    private static void ThrowIfTrailing(ref WireReader reader)
    {
        if (reader.Remaining != 0)
        {
            throw reader.Fail($"{reader.Remaining} unexpected trailing byte(s).");
        }
    }

    private static void CollectReplicas(VersionVector vector, Dictionary<ReplicaId, int> table, List<ReplicaId> order)
    {
        foreach (Dot dot in vector)
        {
            if (table.TryAdd(dot.Replica, order.Count))
            {
                order.Add(dot.Replica);
            }
        }
    }

    private static void WriteVector(WireWriter writer, VersionVector vector, Dictionary<ReplicaId, int> table)
    {
        writer.WriteVarint((ulong)vector.Count);
        foreach (Dot dot in vector)
        {
            writer.WriteVarint((ulong)table[dot.Replica]);
            writer.WriteVarint((ulong)dot.Counter);
        }
    }

    private void Write(IBufferWriter<byte> output, byte kind, ReplicaId sender, VersionVector[] vectors, ImmutableArray<KeyValuePair<string, ReplicatedValue>> values)
    {
        // Resolve every format first, so an unregistered type fails before anything is written.
        var formats = new ReplicatedValueFormat[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            Type type = values[i].Value.ValueType;
            formats[i] = _byType.TryGetValue(type, out ReplicatedValueFormat? format)
                ? format
                : throw new ArgumentException($"No ReplicatedValueFormat is registered for {type.Name} (key '{values[i].Key}').", nameof(values));
        }

        var table = new Dictionary<ReplicaId, int> { [sender] = 0 };
        var order = new List<ReplicaId> { sender };
        foreach (VersionVector vector in vectors)
        {
            CollectReplicas(vector, table, order);
        }

        var writer = new WireWriter(output);
        writer.WriteByte(FormatVersion);
        writer.WriteByte(kind);
        writer.WriteVarint((ulong)order.Count);
        foreach (ReplicaId id in order)
        {
            writer.WriteString(id.Value);
        }

        writer.WriteVarint(0);
        foreach (VersionVector vector in vectors)
        {
            WriteVector(writer, vector, table);
        }

        if (kind == DigestKind)
        {
            return;
        }

        writer.WriteVarint((ulong)values.Length);
        var payload = new ArrayBufferWriter<byte>();
        for (int i = 0; i < values.Length; i++)
        {
            writer.WriteString(values[i].Key);
            writer.WriteVarint((ulong)formats[i].Tag);
            payload.ResetWrittenCount();
            formats[i].Write(values[i].Value, payload);
            writer.WriteBytes(payload.WrittenSpan);
        }
    }

    private ImmutableArray<KeyValuePair<string, ReplicatedValue>> ReadValues(ref WireReader reader)
    {
        int count = reader.ReadCount(3);
        var builder = ImmutableArray.CreateBuilder<KeyValuePair<string, ReplicatedValue>>(count);
        string? previous = null;
        for (int i = 0; i < count; i++)
        {
            int start = reader.Position;
            string key = reader.ReadString();
            if (previous is not null && string.CompareOrdinal(previous, key) >= 0)
            {
                throw new CrdtFormatException("Keys must be sorted ordinally without repeats.", start);
            }

            int tagStart = reader.Position;
            ulong tag = reader.ReadVarint();
            if (tag > int.MaxValue || !_byTag.TryGetValue((int)tag, out ReplicatedValueFormat? format))
            {
                throw new CrdtFormatException($"Unknown value format tag {tag} (key '{key}').", tagStart);
            }

            int payloadStart = reader.Position;
            ReadOnlySpan<byte> payload = reader.ReadBytes();
            ReplicatedValue value;
            try
            {
                value = format.Read(payload);
            }
            catch (CrdtFormatException ex)
            {
                throw new CrdtFormatException($"Invalid {format.ValueType.Name} value for key '{key}' (payload at offset {payloadStart}): {ex.Message}", ex);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException or IndexOutOfRangeException)
            {
                throw new CrdtFormatException($"Invalid {format.ValueType.Name} value for key '{key}' (payload at offset {payloadStart}): {ex.Message}", ex);
            }

            builder.Add(new KeyValuePair<string, ReplicatedValue>(key, value));
            previous = key;
        }

        return builder.MoveToImmutable();
    }
}
