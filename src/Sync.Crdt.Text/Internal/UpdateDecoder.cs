using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Text.Internal;

/// <summary>
/// Decodes and fully validates an update (docs/text.md, "Update format") before anything is applied. Every problem is a
/// <see cref="CrdtFormatException"/>; lengths are checked against the remaining input before anything is allocated.
/// </summary>
internal static class UpdateDecoder
{
    /// <summary>The longest replica id accepted, in UTF-8 bytes (4 × <see cref="ReplicaId.MaxLength"/>).</summary>
    private const int MaxReplicaIdBytes = ReplicaId.MaxLength * 4;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes and validates an update; the result's item array is pooled: call <see cref="DecodedUpdate.Release"/>.</summary>
    public static DecodedUpdate Decode(ReadOnlySpan<byte> data)
    {
        RemoteItem[] items = [];
        try
        {
            return Decode(data, ref items);
        }
        catch (CrdtFormatException)
        {
            DecodedUpdate.ReturnToPool(items);
            throw;
        }
    }

    private static DecodedUpdate Decode(ReadOnlySpan<byte> data, ref RemoteItem[] items)
    {
        int itemTotal = 0;
        var reader = new ByteReader(data);
        byte version = reader.ReadByte();
        if (version != UpdateFormat.Version)
        {
            throw new CrdtFormatException($"Unknown text update format {version}; this library reads format {UpdateFormat.Version}.", 0);
        }

        ReplicaId[] replicas = ReadReplicaTable(ref reader);
        int blockCount = reader.ReadBoundedCount("block count", 3);
        var seen = new bool[replicas.Length];
        long visibleLength = 0;
        for (int b = 0; b < blockCount; b++)
        {
            int replica = ReadReplicaIndex(ref reader, replicas.Length);
            if (seen[replica])
            {
                throw new CrdtFormatException($"Replica {replicas[replica]} has two item blocks.", reader.Position);
            }

            seen[replica] = true;
            int clock = reader.ReadCount("start clock");
            int itemCount = reader.ReadBoundedCount("item count", 1);
            if (itemCount == 0)
            {
                throw new CrdtFormatException("An item block is empty.", reader.Position);
            }

            if (items.Length - itemTotal < itemCount)
            {
                RemoteItem[] larger = ArrayPool<RemoteItem>.Shared.Rent(Math.Max(itemTotal + itemCount, items.Length * 2));
                items.AsSpan(0, itemTotal).CopyTo(larger);
                DecodedUpdate.ReturnToPool(items);
                items = larger;
            }

            for (int i = 0; i < itemCount; i++)
            {
                int at = reader.Position;
                int info = reader.ReadByte();
                int length = info >> 5;
                if (length == 0)
                {
                    length = reader.ReadCount("item length");
                    if (length == 0)
                    {
                        throw new CrdtFormatException("An item has length 0.", at);
                    }
                }

                if ((long)clock + length > int.MaxValue)
                {
                    throw new CrdtFormatException("An item's clocks exceed int.MaxValue.", at);
                }

                var item = new RemoteItem { Client = replica, Clock = clock, Length = length, OriginLeftClient = -1, OriginRightClient = -1 };
                switch (info & 3)
                {
                    case UpdateFormat.OriginLeftPrevious:
                        if (clock == 0)
                        {
                            throw new CrdtFormatException("An item at clock 0 names the previous clock as its origin.", at);
                        }

                        item.OriginLeftClient = replica;
                        item.OriginLeftClock = clock - 1;
                        break;
                    case UpdateFormat.OriginLeftSameReplica:
                        item.OriginLeftClient = replica;
                        item.OriginLeftClock = BackReference(ref reader, clock, at);
                        break;
                    case UpdateFormat.OriginLeftOtherReplica:
                        item.OriginLeftClient = ReadReplicaIndex(ref reader, replicas.Length);
                        item.OriginLeftClock = reader.ReadCount("origin clock");
                        RejectForwardSelfReference(item.OriginLeftClient, item.OriginLeftClock, replica, clock, at);
                        break;
                }

                switch ((info >> 2) & 3)
                {
                    case UpdateFormat.OriginRightSameReplica:
                        item.OriginRightClient = replica;
                        item.OriginRightClock = BackReference(ref reader, clock, at);
                        break;
                    case UpdateFormat.OriginRightOtherReplica:
                        item.OriginRightClient = ReadReplicaIndex(ref reader, replicas.Length);
                        item.OriginRightClock = reader.ReadCount("origin clock");
                        RejectForwardSelfReference(item.OriginRightClient, item.OriginRightClock, replica, clock, at);
                        break;
                    case 3:
                        throw new CrdtFormatException("Unknown origin-right kind 3.", at);
                }

                if (item.OriginLeftClient >= 0 && item.OriginLeftClient == item.OriginRightClient && item.OriginLeftClock == item.OriginRightClock)
                {
                    throw new CrdtFormatException("An item's left and right origins are the same code unit.", at);
                }

                if ((info & UpdateFormat.DeletedFlag) == 0)
                {
                    item.ContentStart = (int)Math.Min(visibleLength, int.MaxValue);
                    visibleLength += length;
                    item.Content = string.Empty;
                }

                items[itemTotal++] = item;
                clock += length;
            }
        }

        DeleteRange[] deletes = ReadDeleteSet(ref reader, replicas.Length);
        int contentStartAt = reader.Position;
        int contentBytes = reader.ReadBoundedCount("content length", 1);
        ReadOnlySpan<byte> utf8 = reader.ReadBytes(contentBytes);
        reader.ExpectEnd();
        if (contentBytes < visibleLength)
        {
            throw new CrdtFormatException($"The content ({contentBytes} bytes) is shorter than the items' {visibleLength} code units.", contentStartAt);
        }

        string content;
        try
        {
            content = StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException ex)
        {
            throw new CrdtFormatException($"The content is not valid UTF-8 (at byte offset {contentStartAt}).", ex);
        }

        if (content.Length != visibleLength)
        {
            throw new CrdtFormatException($"The content has {content.Length} UTF-16 code units; the items need {visibleLength}.", contentStartAt);
        }

        RemoteItem[] result = items;
        for (int i = 0; i < itemTotal; i++)
        {
            ref RemoteItem item = ref result[i];
            if (item.Content is null)
            {
                continue;
            }

            item.Content = content;
            if (char.IsLowSurrogate(content[item.ContentStart]) || char.IsHighSurrogate(content[item.ContentStart + item.Length - 1]))
            {
                throw new CrdtFormatException("An item's content starts or ends inside a surrogate pair.", contentStartAt);
            }
        }

        return new DecodedUpdate(replicas, result, itemTotal, deletes);
    }

    private static ReplicaId[] ReadReplicaTable(ref ByteReader reader)
    {
        int count = reader.ReadBoundedCount("replica count", 2);
        var replicas = new ReplicaId[count];
        var unique = new HashSet<ReplicaId>();
        for (int i = 0; i < count; i++)
        {
            int at = reader.Position;
            int byteCount = reader.ReadCount("replica id length");
            if (byteCount == 0 || byteCount > MaxReplicaIdBytes)
            {
                throw new CrdtFormatException($"A replica id has {byteCount} bytes; ids have 1 to {MaxReplicaIdBytes}.", at);
            }

            ReplicaId replica = ReadReplicaId(reader.ReadBytes(byteCount), at);
            if (!unique.Add(replica))
            {
                throw new CrdtFormatException($"Replica {replica} appears twice in the replica table.", at);
            }

            replicas[i] = replica;
        }

        return replicas;
    }

    /// <summary>Decodes a replica id from strict UTF-8 and validates it.</summary>
    public static ReplicaId ReadReplicaId(ReadOnlySpan<byte> bytes, int at)
    {
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new CrdtFormatException($"A replica id is not valid UTF-8 (at byte offset {at}).", ex);
        }

        if (!ReplicaId.TryParse(text, out ReplicaId replica))
        {
            throw new CrdtFormatException("A replica id is not valid (empty, too long or malformed).", at);
        }

        return replica;
    }

    private static DeleteRange[] ReadDeleteSet(ref ByteReader reader, int replicaCount)
    {
        int clientCount = reader.ReadBoundedCount("delete set size", 2);
        var seen = new bool[replicaCount];
        var ranges = new List<DeleteRange>();
        for (int c = 0; c < clientCount; c++)
        {
            int replica = ReadReplicaIndex(ref reader, replicaCount);
            if (seen[replica])
            {
                throw new CrdtFormatException("A replica appears twice in the delete set.", reader.Position);
            }

            seen[replica] = true;
            int rangeCount = reader.ReadBoundedCount("range count", 2);
            long previousEnd = 0;
            for (int r = 0; r < rangeCount; r++)
            {
                int at = reader.Position;
                long clock = previousEnd + reader.ReadCount("range gap");
                int length = reader.ReadCount("range length");
                if (length == 0 || clock + length > int.MaxValue)
                {
                    throw new CrdtFormatException("A deleted range is empty or exceeds int.MaxValue.", at);
                }

                ranges.Add(new DeleteRange { Client = replica, Clock = (int)clock, Length = length });
                previousEnd = clock + length;
            }
        }

        return ranges.ToArray();
    }

    private static int ReadReplicaIndex(ref ByteReader reader, int replicaCount)
    {
        int at = reader.Position;
        int index = reader.ReadCount("replica index");
        if (index >= replicaCount)
        {
            throw new CrdtFormatException($"Replica index {index} is outside the table of {replicaCount} replicas.", at);
        }

        return index;
    }

    private static int BackReference(ref ByteReader reader, int clock, int at)
    {
        int back = reader.ReadCount("origin distance");
        if ((long)back + 1 > clock)
        {
            throw new CrdtFormatException("An origin refers to a clock before 0.", at);
        }

        return clock - 1 - back;
    }

    private static void RejectForwardSelfReference(int originReplica, int originClock, int replica, int clock, int at)
    {
        if (originReplica == replica && originClock >= clock)
        {
            throw new CrdtFormatException("An origin refers to a clock of the item's own replica that is not earlier than the item.", at);
        }
    }
}
