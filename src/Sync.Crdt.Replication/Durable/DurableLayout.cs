using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using Sync.Crdt.Causality;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Replication;

/// <summary>
/// How a <see cref="DurableReplica"/> lays itself out in a store document: log records are serialized
/// <see cref="DeltaLogEntry"/>s, the snapshot a serialized <see cref="ReplicatorSnapshot"/>, and the metadata holds the
/// incarnation counter, the current replica id and one acknowledgement per peer.
/// </summary>
internal static class DurableLayout
{
    /// <summary>Metadata key of the incarnation counter (8 bytes, little-endian).</summary>
    internal const string IncarnationKey = "replica/incarnation";

    /// <summary>Metadata key of the current incarnation's replica id (UTF-8).</summary>
    internal const string ReplicaKey = "replica/id";

    /// <summary>Metadata key prefix of a peer's acknowledgement (a serialized digest message from the peer; empty when it never reported).</summary>
    internal const string PeerPrefix = "peer/";

    /// <summary>The longest replica name: the incarnation suffix must fit in <see cref="ReplicaId.MaxLength"/>.</summary>
    internal const int MaxNameLength = ReplicaId.MaxLength - 48;

    internal static long ReadIncarnation(StoredDocument document) =>
        document.Metadata.TryGetValue(IncarnationKey, out ReadOnlyMemory<byte> bytes) && bytes.Length == 8 ? BinaryPrimitives.ReadInt64LittleEndian(bytes.Span) : 0;

    internal static byte[] EncodeIncarnation(long incarnation)
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, incarnation);
        return bytes;
    }

    /// <summary>
    /// The replica id of one incarnation: <c>name#incarnation.random</c>. The counter makes ids readable and ordered; the
    /// 64 random bits make two opens of copies of one database (a backup restored beside the original) differ even when
    /// their counters agree.
    /// </summary>
    internal static ReplicaId IncarnationId(string name, long incarnation)
    {
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        return new ReplicaId(string.Create(CultureInfo.InvariantCulture, $"{name}#{incarnation}.{Convert.ToHexStringLower(random)}"));
    }

    internal static string PeerKey(ReplicaId peer) => PeerPrefix + peer.Value;

    internal static byte[] EncodePeer(ReplicationSerializer serializer, ReplicaId peer, VersionVector? acknowledged) =>
        acknowledged is null ? [] : serializer.SerializeToBytes(new DigestMessage(peer, acknowledged));

    /// <summary>Reads the persisted peers: id and acknowledgement (<see langword="null"/> when the peer never reported).</summary>
    internal static List<KeyValuePair<ReplicaId, VersionVector?>> ReadPeers(StoredDocument document, ReplicationSerializer serializer)
    {
        var peers = new List<KeyValuePair<ReplicaId, VersionVector?>>();
        foreach (KeyValuePair<string, ReadOnlyMemory<byte>> entry in document.Metadata)
        {
            if (!entry.Key.StartsWith(PeerPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var peer = new ReplicaId(entry.Key[PeerPrefix.Length..]);
            VersionVector? acknowledged = entry.Value.IsEmpty ? null : ((DigestMessage)serializer.Deserialize(entry.Value.Span)).Vector;
            peers.Add(new KeyValuePair<ReplicaId, VersionVector?>(peer, acknowledged));
        }

        return peers;
    }
}
