using System;
using Sync.Crdt.Protocol;
using Sync.Ot;

namespace Sync.Crdt.Client;

/// <summary>
/// The client store's records of an OT document: replaying them through a fresh <see cref="OtClient"/> rebuilds the
/// exact state (text, revision, in-flight and buffered operations, sequence numbers). Each record is one kind byte and
/// a payload in the sync protocol's encodings (docs/sync-protocol.md, kind 3):
/// <list type="bullet">
/// <item><description><c>1</c> local edit: an OT submission whose base revision field carries the document's sequence
/// counter before the edit, and the operation on the local text.</description></item>
/// <item><description><c>2</c> committed: a committed operation received from the server (another author's, or the
/// acknowledgement of this client's in-flight operation, with an identity operation).</description></item>
/// <item><description><c>3</c> snapshot: an OT sync answer with the server snapshot the document restarted from (or,
/// as the store snapshot, the synchronized state) and one committed entry whose sequence is the sequence counter.</description></item>
/// </list>
/// </summary>
internal static class OtClientRecords
{
    public const byte Local = 1;
    public const byte Committed = 2;
    public const byte Snapshot = 3;

    public static byte[] EncodeLocal(long sequenceBefore, TextOperation operation) =>
        Prefix(Local, PayloadCodec.Encode(new OtSubmission(sequenceBefore, operation)));

    public static byte[] EncodeCommitted(OtCommittedOperation committed) => Prefix(Committed, PayloadCodec.Encode(committed));

    public static byte[] EncodeSnapshot(DocumentSnapshot snapshot, string author, long sequence) =>
        Prefix(Snapshot, PayloadCodec.Encode(new OtSyncAnswer(snapshot, [new OtCommittedOperation(Math.Max(1, snapshot.Revision), author, Math.Max(1, sequence), TextOperation.Identity(0))])));

    /// <summary>Splits a record into its kind and payload.</summary>
    /// <exception cref="SyncProtocolException">The record is empty or of an unknown kind.</exception>
    public static (byte Kind, ReadOnlyMemory<byte> Payload) Split(ReadOnlyMemory<byte> record)
    {
        if (record.IsEmpty || record.Span[0] is not (Local or Committed or Snapshot))
        {
            throw new SyncProtocolException(SyncErrorCode.InvalidPayload, "The client store holds an OT record of an unknown kind.");
        }

        return (record.Span[0], record[1..]);
    }

    private static byte[] Prefix(byte kind, byte[] payload)
    {
        byte[] record = new byte[payload.Length + 1];
        record[0] = kind;
        payload.CopyTo(record, 1);
        return record;
    }
}
