using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Replication.Encoding;

/// <summary>The body of a replication message inside a Sync.Crdt binary message (type tag <see cref="ReplicationSerializer.MessageTypeTag"/>).</summary>
internal sealed class ReplicationMessageBodyCodec(ValueFormatTable formats) : ICrdtValueCodec<ReplicationMessage>
{
    private const byte DigestKind = 1;
    private const byte DeltaGroupKind = 2;
    private const byte FullStateKind = 3;

    public int TypeTag => ReplicationSerializer.MessageTypeTag;

    public IReadOnlyList<ICrdtCodec> TypeArguments => [];

    public void Encode(CrdtWriter writer, ReplicationMessage value)
    {
        switch (value)
        {
            case DigestMessage digest:
                writer.WriteByte(DigestKind);
                writer.WriteReplica(digest.Sender);
                writer.Write(digest.Vector, CrdtCodecs.VersionVector);
                break;
            case DeltaGroupMessage group:
                writer.WriteByte(DeltaGroupKind);
                writer.WriteReplica(group.Sender);
                writer.Write(group.Base, CrdtCodecs.VersionVector);
                writer.Write(group.Top, CrdtCodecs.VersionVector);
                formats.Write(writer, group.Deltas);
                break;
            case FullStateMessage full:
                writer.WriteByte(FullStateKind);
                writer.WriteReplica(full.Sender);
                writer.Write(full.Vector, CrdtCodecs.VersionVector);
                formats.Write(writer, full.Values);
                break;
            default:
                throw new ArgumentException($"Unknown message type {value?.GetType().Name ?? "null"}.", nameof(value));
        }
    }

    public ReplicationMessage Decode(ref CrdtReader reader)
    {
        int start = reader.Position;
        byte kind = reader.ReadByte();
        ReplicaId sender = reader.ReadReplica();
        switch (kind)
        {
            case DigestKind:
                return new DigestMessage(sender, reader.Read(CrdtCodecs.VersionVector));
            case DeltaGroupKind:
                VersionVector baseVector = reader.Read(CrdtCodecs.VersionVector);
                VersionVector top = reader.Read(CrdtCodecs.VersionVector);
                return new DeltaGroupMessage(sender, baseVector, top, formats.Read(ref reader));
            case FullStateKind:
                VersionVector vector = reader.Read(CrdtCodecs.VersionVector);
                return new FullStateMessage(sender, vector, formats.Read(ref reader));
            default:
                throw CrdtReader.Error($"Unknown replication message kind {kind}.", start);
        }
    }
}
