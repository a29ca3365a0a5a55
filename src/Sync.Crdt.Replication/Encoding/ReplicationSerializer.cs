using System;
using System.Buffers;
using System.Collections.Generic;
using Sync.Crdt.Annotations;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Replication.Encoding;

/// <summary>
/// Serializes <see cref="ReplicationMessage"/>s, <see cref="ReplicatorSnapshot"/>s and <see cref="DeltaLogEntry"/>s to
/// bytes and back, built on the Sync.Crdt binary format (<see cref="CrdtSerializer"/>): each is one Sync.Crdt message
/// whose root type is a replication message (type tag <see cref="MessageTypeTag"/>), a snapshot
/// (<see cref="SnapshotTypeTag"/>) or a log entry (<see cref="LogEntryTypeTag"/>), so it carries the format's magic
/// bytes, version, type signature and replica table, and every replica id it names (sender, vectors, and those
/// inside the CRDT values) is written once. Values are written by the codecs of their registered
/// <see cref="ReplicatedValueFormat"/>s. The body layouts are in docs/replication.md.
/// </summary>
/// <remarks>
/// <para>Encoding is deterministic: equal messages encode to identical bytes. Snapshots and log entries are what a
/// store keeps on disk; their encodings are as stable as the messages'.</para>
/// <para>Decoding validates everything (the limits of the <see cref="CrdtSerializerOptions"/> apply), never
/// allocates from a length it has not checked, and throws only <see cref="CrdtFormatException"/>.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
[Immutable]
public sealed class ReplicationSerializer
{
    /// <summary>The Sync.Crdt type tag of a replication message (from the range the wire format reserves for this assembly).</summary>
    public const int MessageTypeTag = 64;

    /// <summary>The Sync.Crdt type tag of a replicator snapshot.</summary>
    public const int SnapshotTypeTag = 65;

    /// <summary>The Sync.Crdt type tag of a delta log entry.</summary>
    public const int LogEntryTypeTag = 66;

    private readonly ValueFormatTable _formats;
    private readonly ReplicationMessageBodyCodec _messageCodec;
    private readonly ReplicatorSnapshotBodyCodec _snapshotCodec;
    private readonly DeltaLogEntryBodyCodec _logEntryCodec;
    private readonly CrdtSerializerOptions _options;

    /// <summary>Creates a serializer for the given value formats.</summary>
    /// <param name="formats">One format per replicated CRDT type.</param>
    /// <param name="options">Limits for encoding and decoding; <see cref="CrdtSerializerOptions.Default"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="formats"/> or an element is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">Two formats share a type or a type signature.</exception>
    public ReplicationSerializer(IEnumerable<ReplicatedValueFormat> formats, CrdtSerializerOptions? options = null)
    {
        _formats = new ValueFormatTable(formats);
        _messageCodec = new ReplicationMessageBodyCodec(_formats);
        _snapshotCodec = new ReplicatorSnapshotBodyCodec(_formats);
        _logEntryCodec = new DeltaLogEntryBodyCodec(_formats);
        _options = options ?? CrdtSerializerOptions.Default;
    }

    /// <summary>Serializes a message into a new array of exactly its size.</summary>
    /// <param name="message">The message.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value's type has no registered format, or the message exceeds the options' limits.</exception>
    public byte[] SerializeToBytes(ReplicationMessage message)
    {
        ThrowIfUnencodable(message);
        return CrdtSerializer.SerializeToBytes(message, _messageCodec, _options);
    }

    /// <summary>Serializes a message to <paramref name="output"/>. O(size of the message).</summary>
    /// <param name="output">Where to write; receives one contiguous span.</param>
    /// <param name="message">The message.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value's type has no registered format, or the message exceeds the options' limits.</exception>
    public void Serialize(IBufferWriter<byte> output, ReplicationMessage message)
    {
        ArgumentNullException.ThrowIfNull(output);
        ThrowIfUnencodable(message);
        CrdtSerializer.Serialize(output, message, _messageCodec, _options);
    }

    /// <summary>
    /// Returns the number of bytes <see cref="SerializeToBytes(ReplicationMessage)"/> produces for a message, without
    /// allocating them: a digest is measured by summing the sizes of its parts; a message with values runs the codecs in
    /// measuring mode (<see cref="CrdtSerializer.GetSerializedSize{T}(T, ICrdtValueCodec{T}, CrdtSerializerOptions?)"/>),
    /// which adds up encoded lengths without writing any byte. O(size of the message).
    /// </summary>
    /// <param name="message">The message.</param>
    /// <returns>The size in bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value's type has no registered format, or the message exceeds the options' limits (as for <see cref="SerializeToBytes(ReplicationMessage)"/>).</exception>
    public int GetSerializedSize(ReplicationMessage message)
    {
        ThrowIfUnencodable(message);
        if (message is DigestMessage digest)
        {
            int size = SerializedSize.Of(digest);
            return size <= _options.MaxMessageBytes
                ? size
                : throw new ArgumentException($"The encoding takes {size} bytes, more than MaxMessageBytes ({_options.MaxMessageBytes}); a decoder would reject it.", nameof(message));
        }

        return CrdtSerializer.GetSerializedSize(message, _messageCodec, _options);
    }

    /// <summary>Deserializes a message.</summary>
    /// <param name="data">Exactly one serialized message.</param>
    /// <returns>The message.</returns>
    /// <exception cref="CrdtFormatException">The data is not a valid message (truncated, corrupt, another type,
    /// unknown kind or value type, unsorted keys, trailing bytes, limits exceeded).</exception>
    public ReplicationMessage Deserialize(ReadOnlySpan<byte> data) => CrdtSerializer.Deserialize(data, _messageCodec, _options);

    /// <summary>
    /// Deserializes a message from a sequence of buffers, as pipes and WebSocket readers deliver them. A single segment
    /// is read in place; several segments are first copied into one pooled buffer, after checking the total length
    /// against <see cref="CrdtSerializerOptions.MaxMessageBytes"/>.
    /// </summary>
    /// <param name="data">Exactly one serialized message, in any number of segments.</param>
    /// <returns>The message.</returns>
    /// <exception cref="CrdtFormatException">The data is not a valid message.</exception>
    public ReplicationMessage Deserialize(ReadOnlySequence<byte> data) => CrdtSerializer.Deserialize(data, _messageCodec, _options);

    /// <summary>Serializes a snapshot (the replicator's durable state) into a new array.</summary>
    /// <param name="snapshot">The snapshot.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="snapshot"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value's type has no registered format, or the snapshot exceeds the options' limits.</exception>
    public byte[] SerializeToBytes(ReplicatorSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _formats.ThrowIfUnregistered(snapshot.Values);
        return CrdtSerializer.SerializeToBytes(snapshot, _snapshotCodec, _options);
    }

    /// <summary>Deserializes a snapshot.</summary>
    /// <param name="data">Exactly one serialized snapshot.</param>
    /// <returns>The snapshot.</returns>
    /// <exception cref="CrdtFormatException">The data is not a valid snapshot.</exception>
    public ReplicatorSnapshot DeserializeSnapshot(ReadOnlySpan<byte> data) => CrdtSerializer.Deserialize(data, _snapshotCodec, _options);

    /// <summary>Serializes a delta log entry (what a store appends to its log) into a new array.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">A value's type has no registered format, or the entry exceeds the options' limits.</exception>
    public byte[] SerializeToBytes(DeltaLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        _formats.ThrowIfUnregistered(entry.Deltas);
        return CrdtSerializer.SerializeToBytes(entry, _logEntryCodec, _options);
    }

    /// <summary>Deserializes a delta log entry.</summary>
    /// <param name="data">Exactly one serialized entry.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="CrdtFormatException">The data is not a valid log entry (including one whose <c>To</c> does not strictly dominate its <c>From</c>).</exception>
    public DeltaLogEntry DeserializeLogEntry(ReadOnlySpan<byte> data) => CrdtSerializer.Deserialize(data, _logEntryCodec, _options);

    private void ThrowIfUnencodable(ReplicationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message)
        {
            case DeltaGroupMessage group:
                _formats.ThrowIfUnregistered(group.Deltas);
                break;
            case FullStateMessage full:
                _formats.ThrowIfUnregistered(full.Values);
                break;
            case DigestMessage:
                break;
            default:
                throw new ArgumentException($"Unknown message type {message.GetType().Name}.", nameof(message));
        }
    }
}
