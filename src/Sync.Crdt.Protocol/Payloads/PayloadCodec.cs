using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Protocol.Encoding;
using Sync.Crdt.Text;
using Sync.Ot;

namespace Sync.Crdt.Protocol;

/// <summary>Encodes and decodes the kind-specific payloads (docs/sync-protocol.md, "Payloads").</summary>
/// <remarks>Decoders validate everything and throw <see cref="SyncProtocolException"/> with
/// <see cref="SyncErrorCode.InvalidPayload"/>; lengths are checked before allocation. Stateless and thread-safe.</remarks>
public static class PayloadCodec
{
    private const byte RetainTag = 1;
    private const byte InsertTag = 2;
    private const byte DeleteTag = 3;
    private const int MaxComponents = 1 << 20;
    private const int MaxTextChars = 1 << 24;

    /// <summary>Encodes the client's OT handshake: the revision it holds, or none.</summary>
    /// <param name="revision">The revision, or <see langword="null"/> for a client without a copy.</param>
    /// <returns>The payload.</returns>
    public static byte[] EncodeOtHandshake(long? revision)
    {
        if (revision is not { } r)
        {
            return [0];
        }

        ArgumentOutOfRangeException.ThrowIfNegative(r, nameof(revision));
        byte[] bytes = new byte[1 + SpanWriter.VarintSize(r)];
        var writer = new SpanWriter(bytes);
        writer.WriteByte(1);
        writer.WriteVarint(r);
        return bytes;
    }

    /// <summary>Decodes the client's OT handshake.</summary>
    /// <param name="payload">The payload.</param>
    /// <returns>The revision, or <see langword="null"/>.</returns>
    public static long? DecodeOtHandshake(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload, SyncErrorCode.InvalidPayload);
        byte flag = reader.ReadByte();
        long? revision = flag switch
        {
            0 => null,
            1 => reader.ReadLong(),
            _ => throw new SyncProtocolException(SyncErrorCode.InvalidPayload, $"Unknown OT handshake flag {flag}."),
        };
        reader.ExpectEnd();
        return revision;
    }

    /// <summary>Encodes a client's OT submission.</summary>
    /// <param name="submission">The submission.</param>
    /// <returns>The payload.</returns>
    public static byte[] Encode(OtSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        byte[] bytes = new byte[SpanWriter.VarintSize(submission.BaseRevision) + OperationSize(submission.Operation)];
        var writer = new SpanWriter(bytes);
        writer.WriteVarint(submission.BaseRevision);
        WriteOperation(ref writer, submission.Operation);
        return bytes;
    }

    /// <summary>Decodes a client's OT submission.</summary>
    /// <param name="payload">The payload.</param>
    /// <returns>The submission.</returns>
    public static OtSubmission DecodeOtSubmission(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload, SyncErrorCode.InvalidPayload);
        long revision = reader.ReadLong();
        TextOperation operation = ReadOperation(ref reader);
        reader.ExpectEnd();
        return new OtSubmission(revision, operation);
    }

    /// <summary>Encodes a committed OT operation (a server update payload and a stored record).</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>The payload.</returns>
    public static byte[] Encode(OtCommittedOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        byte[] bytes = new byte[CommittedSize(operation)];
        var writer = new SpanWriter(bytes);
        WriteCommitted(ref writer, operation);
        return bytes;
    }

    /// <summary>Decodes a committed OT operation.</summary>
    /// <param name="payload">The payload.</param>
    /// <returns>The operation.</returns>
    public static OtCommittedOperation DecodeOtCommitted(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload, SyncErrorCode.InvalidPayload);
        OtCommittedOperation operation = ReadCommitted(ref reader);
        reader.ExpectEnd();
        return operation;
    }

    /// <summary>Encodes the server's OT handshake answer.</summary>
    /// <param name="answer">The answer.</param>
    /// <returns>The payload.</returns>
    public static byte[] Encode(OtSyncAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        int size = 1 + SpanWriter.VarintSize(answer.Operations.Count);
        if (answer.Snapshot is { } snapshot)
        {
            size += SpanWriter.VarintSize(snapshot.Revision) + SpanWriter.StringSize(snapshot.Text);
        }

        foreach (OtCommittedOperation operation in answer.Operations)
        {
            size += CommittedSize(operation);
        }

        byte[] bytes = new byte[size];
        var writer = new SpanWriter(bytes);
        writer.WriteByte(answer.Snapshot is null ? (byte)0 : (byte)1);
        if (answer.Snapshot is { } s)
        {
            writer.WriteVarint(s.Revision);
            writer.WriteString(s.Text);
        }

        writer.WriteVarint(answer.Operations.Count);
        foreach (OtCommittedOperation operation in answer.Operations)
        {
            WriteCommitted(ref writer, operation);
        }

        return bytes;
    }

    /// <summary>Decodes the server's OT handshake answer.</summary>
    /// <param name="payload">The payload.</param>
    /// <returns>The answer.</returns>
    public static OtSyncAnswer DecodeOtSyncAnswer(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload, SyncErrorCode.InvalidPayload);
        byte flag = reader.ReadByte();
        DocumentSnapshot? snapshot = flag switch
        {
            0 => null,
            1 => new DocumentSnapshot(reader.ReadLong(), reader.ReadString(MaxTextChars)),
            _ => throw new SyncProtocolException(SyncErrorCode.InvalidPayload, $"Unknown OT answer flag {flag}."),
        };
        int count = ReadCount(ref reader, 4);
        var operations = new List<OtCommittedOperation>(count);
        for (int i = 0; i < count; i++)
        {
            operations.Add(ReadCommitted(ref reader));
        }

        reader.ExpectEnd();
        return new OtSyncAnswer(snapshot, operations);
    }

    /// <summary>Encodes the server's text handshake answer.</summary>
    /// <param name="answer">The answer.</param>
    /// <returns>The payload.</returns>
    public static byte[] Encode(TextSyncAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        byte[] vector = TextStateVector.Encode(answer.StateVector);
        ReadOnlySpan<byte> update = answer.Update.Span;
        byte[] bytes = new byte[SpanWriter.BytesSize(vector.Length) + SpanWriter.BytesSize(update.Length)];
        var writer = new SpanWriter(bytes);
        writer.WriteBytes(vector);
        writer.WriteBytes(update);
        return bytes;
    }

    /// <summary>Decodes the server's text handshake answer (the update is checked when it is applied).</summary>
    /// <param name="payload">The payload.</param>
    /// <returns>The answer.</returns>
    public static TextSyncAnswer DecodeTextSyncAnswer(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload, SyncErrorCode.InvalidPayload);
        VersionVector vector = DecodeTextStateVector(reader.ReadBytes());
        TextUpdate update = TextUpdate.FromBytes(reader.ReadBytes());
        reader.ExpectEnd();
        return new TextSyncAnswer(vector, update);
    }

    /// <summary>Decodes a text state vector (the text handshake), mapping format errors to protocol errors.</summary>
    /// <param name="payload">The encoded state vector.</param>
    /// <returns>The vector.</returns>
    public static VersionVector DecodeTextStateVector(ReadOnlySpan<byte> payload)
    {
        try
        {
            return TextStateVector.Decode(payload);
        }
        catch (CrdtFormatException e)
        {
            throw new SyncProtocolException(SyncErrorCode.InvalidPayload, "The text state vector is malformed: " + e.Message, e);
        }
    }

    /// <summary>Encodes a presence state.</summary>
    /// <param name="state">The state.</param>
    /// <returns>The payload.</returns>
    public static byte[] Encode(PresenceState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        byte[] bytes = new byte[PositionSize(state.Anchor) + PositionSize(state.Head) + SpanWriter.StringSize(state.UserInfo)];
        var writer = new SpanWriter(bytes);
        WritePosition(ref writer, state.Anchor);
        WritePosition(ref writer, state.Head);
        writer.WriteString(state.UserInfo);
        return bytes;
    }

    /// <summary>Decodes a presence state.</summary>
    /// <param name="payload">The payload (not empty).</param>
    /// <returns>The state.</returns>
    public static PresenceState DecodePresence(ReadOnlySpan<byte> payload)
    {
        var reader = new SpanReader(payload, SyncErrorCode.InvalidPayload);
        TextPosition anchor = ReadPosition(ref reader);
        TextPosition head = ReadPosition(ref reader);
        string info = reader.ReadString(PresenceState.MaxUserInfoLength);
        reader.ExpectEnd();
        return new PresenceState(anchor, head, info);
    }

    private static int PositionSize(TextPosition position) =>
        SpanWriter.ReplicaSize(position.Replica) + SpanWriter.VarintSize(position.Clock) + 1;

    private static void WritePosition(ref SpanWriter writer, TextPosition position)
    {
        writer.WriteReplica(position.Replica);
        writer.WriteVarint(position.Clock);
        writer.WriteByte((byte)position.Bias);
    }

    private static TextPosition ReadPosition(ref SpanReader reader)
    {
        string replica = reader.ReadString(ReplicaId.MaxLength);
        ReplicaId id = default;
        if (replica.Length > 0 && !ReplicaId.TryParse(replica, out id))
        {
            throw new SyncProtocolException(SyncErrorCode.InvalidPayload, "A presence position names an invalid replica id.");
        }

        int clock = reader.ReadInt();
        byte bias = reader.ReadByte();
        if (bias > 1)
        {
            throw new SyncProtocolException(SyncErrorCode.InvalidPayload, $"Unknown position bias {bias}.");
        }

        return TextPosition.FromParts(id, clock, (TextPositionBias)bias);
    }

    private static int CommittedSize(OtCommittedOperation operation) =>
        SpanWriter.VarintSize(operation.Revision) + SpanWriter.StringSize(operation.Author) + SpanWriter.VarintSize(operation.Sequence) + OperationSize(operation.Operation);

    private static void WriteCommitted(ref SpanWriter writer, OtCommittedOperation operation)
    {
        writer.WriteVarint(operation.Revision);
        writer.WriteString(operation.Author);
        writer.WriteVarint(operation.Sequence);
        WriteOperation(ref writer, operation.Operation);
    }

    private static OtCommittedOperation ReadCommitted(ref SpanReader reader)
    {
        long revision = reader.ReadLong();
        string author = reader.ReadString(ReplicaId.MaxLength);
        long sequence = reader.ReadLong();
        TextOperation operation = ReadOperation(ref reader);
        if (revision == 0 || sequence == 0 || author.Length == 0)
        {
            throw new SyncProtocolException(SyncErrorCode.InvalidPayload, "A committed OT operation needs a positive revision and sequence and an author.");
        }

        return new OtCommittedOperation(revision, author, sequence, operation);
    }

    private static int OperationSize(TextOperation operation)
    {
        int size = SpanWriter.VarintSize(operation.Components.Length);
        foreach (OperationComponent component in operation.Components)
        {
            size += 1 + (component.IsInsert ? SpanWriter.StringSize(component.Text) : SpanWriter.VarintSize(component.CodePointLength));
        }

        return size;
    }

    private static void WriteOperation(ref SpanWriter writer, TextOperation operation)
    {
        writer.WriteVarint(operation.Components.Length);
        foreach (OperationComponent component in operation.Components)
        {
            if (component.IsInsert)
            {
                writer.WriteByte(InsertTag);
                writer.WriteString(component.Text);
            }
            else
            {
                writer.WriteByte(component.IsRetain ? RetainTag : DeleteTag);
                writer.WriteVarint(component.CodePointLength);
            }
        }
    }

    private static TextOperation ReadOperation(ref SpanReader reader)
    {
        int count = ReadCount(ref reader, 2);
        if (count > MaxComponents)
        {
            throw new SyncProtocolException(SyncErrorCode.InvalidPayload, $"An operation has more than {MaxComponents} components.");
        }

        var builder = new TextOperationBuilder(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                byte tag = reader.ReadByte();
                switch (tag)
                {
                    case RetainTag:
                        builder.Retain(Positive(reader.ReadInt()));
                        break;
                    case InsertTag:
                        builder.Insert(NotEmpty(reader.ReadString(MaxTextChars)));
                        break;
                    case DeleteTag:
                        builder.Delete(Positive(reader.ReadInt()));
                        break;
                    default:
                        throw new SyncProtocolException(SyncErrorCode.InvalidPayload, $"Unknown operation component tag {tag}.");
                }
            }

            return builder.ToOperation();
        }
        catch (Exception e) when (e is ArgumentException or OverflowException)
        {
            throw new SyncProtocolException(SyncErrorCode.InvalidPayload, "The operation is invalid: " + e.Message, e);
        }
    }

    private static int ReadCount(ref SpanReader reader, int minBytesEach)
    {
        int count = reader.ReadInt();
        if ((long)count * minBytesEach > reader.Remaining)
        {
            throw new SyncProtocolException(SyncErrorCode.InvalidPayload, $"The payload declares {count} entries but only {reader.Remaining} bytes remain.");
        }

        return count;
    }

    private static int Positive(int value) =>
        value > 0 ? value : throw new SyncProtocolException(SyncErrorCode.InvalidPayload, "An operation component has length 0.");

    private static string NotEmpty(string value) =>
        value.Length > 0 ? value : throw new SyncProtocolException(SyncErrorCode.InvalidPayload, "An insert component is empty.");
}
