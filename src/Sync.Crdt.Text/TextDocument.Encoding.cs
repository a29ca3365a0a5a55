using System;
using Sync.Crdt.Causality;
using Sync.Crdt.Text.Internal;

namespace Sync.Crdt.Text;

/// <content>Encoding updates: local edits, the whole state, and the difference from a peer's state vector.</content>
public sealed partial class TextDocument
{
    /// <summary>The first byte of every update.</summary>
    internal const byte FormatVersion = 1;

    internal const int OriginLeftNone = 0;
    internal const int OriginLeftPrevious = 1;
    internal const int OriginLeftSameReplica = 2;
    internal const int OriginLeftOtherReplica = 3;
    internal const int OriginRightNone = 0;
    internal const int OriginRightSameReplica = 1;
    internal const int OriginRightOtherReplica = 2;
    internal const int DeletedFlag = 0x10;

    private readonly DeleteSetBuilder _deleteScratch = new();
    private readonly ByteWriter _editWriter = new(64);
    private int[] _editTable = new int[4];

    /// <summary>Returns the reusable client-to-table map for encoding one edit, sized for every client and cleared to -1.</summary>
    private int[] EditTable()
    {
        if (_editTable.Length < _clients.Count)
        {
            _editTable = new int[Math.Max(_clients.Count, _editTable.Length * 2)];
        }

        _editTable.AsSpan().Fill(-1);
        return _editTable;
    }

    /// <summary>
    /// Encodes everything this document has integrated that a peer with state vector <paramref name="peerState"/> lacks:
    /// the items with clocks at or above the peer's entries (deleted ones as bare lengths) and the delete set of the items
    /// the peer already has. With <see langword="null"/> or <see cref="VersionVector.Empty"/>, encodes the whole document.
    /// Pending (not yet integrated) updates are not included. O(n).
    /// </summary>
    /// <param name="peerState">The peer's <see cref="StateVector"/>, or <see langword="null"/> for a full update.</param>
    /// <returns>The update; applying it to the peer makes the peer contain this document's state.</returns>
    public TextUpdate EncodeStateAsUpdate(VersionVector? peerState = null)
    {
        int clientCount = _clients.Count;
        int[] table = new int[clientCount];
        int[] starts = new int[clientCount];
        int tableCount = 0;
        int blockCount = 0;
        for (int c = 0; c < clientCount; c++)
        {
            ClientLog log = _clients[c];
            table[c] = -1;
            if (log.Next == 0)
            {
                continue;
            }

            table[c] = tableCount++;
            long peer = peerState is null ? 0 : peerState[log.Replica];
            starts[c] = (int)Math.Min(peer, log.Next);
            if (starts[c] < log.Next)
            {
                blockCount++;
            }
        }

        var writer = new ByteWriter(64 + (_liveItems * 4));
        var content = new ByteWriter(_length + 16);
        writer.WriteByte(FormatVersion);
        WriteReplicaTable(writer, table, tableCount);
        writer.WriteCount(blockCount);
        for (int c = 0; c < clientCount; c++)
        {
            ClientLog log = _clients[c];
            int start = starts[c];
            if (table[c] < 0 || start >= log.Next)
            {
                continue;
            }

            int first = FindItem(c, start);
            int itemCount = 0;
            for (int h = first; h >= 0; h = _items[h].NextInClient)
            {
                itemCount++;
            }

            writer.WriteCount(table[c]);
            writer.WriteCount(start);
            writer.WriteCount(itemCount);
            for (int h = first; h >= 0; h = _items[h].NextInClient)
            {
                ref ItemRecord item = ref _items[h];
                int skip = start > item.Clock ? start - item.Clock : 0;
                int olc = skip > 0 ? c : item.OriginLeftClient;
                int olk = skip > 0 ? start - 1 : item.OriginLeftClock;
                WriteItem(writer, table, c, item.Clock + skip, item.Length - skip, item.Content < 0, olc, olk, item.OriginRightClient, item.OriginRightClock);
                if (item.Content >= 0)
                {
                    WriteUtf8(content, _content.AsSpan(item.Content + skip, item.Length - skip));
                }
            }
        }

        // Delete set: deleted ranges among the clocks the peer already has.
        _deleteScratch.Clear();
        for (int c = 0; c < clientCount; c++)
        {
            int limit = starts[c];
            for (int h = limit > 0 ? _clients[c].First : -1; h >= 0 && _items[h].Clock < limit; h = _items[h].NextInClient)
            {
                if (_items[h].Content < 0)
                {
                    _deleteScratch.Add(c, _items[h].Clock, Math.Min(_items[h].Length, limit - _items[h].Clock));
                }
            }
        }

        WriteDeleteSet(writer, table, _deleteScratch.Normalize());
        writer.WriteCount(content.Length);
        writer.WriteBytes(content.ToArray());
        return new TextUpdate(writer.ToArray());
    }

    private TextUpdate EncodeLocalInsert(int clock, string text, int olc, int olk, int orc, int ork)
    {
        // Replica table: this replica, then the other replicas the origins name (at most three entries).
        byte[] self = _clients[_localClient].Utf8Id;
        byte[]? leftId = olc >= 0 && olc != _localClient ? _clients[olc].Utf8Id : null;
        byte[]? rightId = orc >= 0 && orc != _localClient && orc != olc ? _clients[orc].Utf8Id : null;
        int tableCount = 1 + (leftId is null ? 0 : 1) + (rightId is null ? 0 : 1);
        Span<int> table = stackalloc int[_clients.Count <= 64 ? _clients.Count : 0];
        if (table.Length == 0)
        {
            table = new int[_clients.Count];
        }

        table[_localClient] = 0;
        if (leftId is not null)
        {
            table[olc] = 1;
        }

        if (rightId is not null)
        {
            table[orc] = tableCount - 1;
        }

        int maxBytes = 48 + self.Length + (leftId?.Length ?? 0) + (rightId?.Length ?? 0) + (text.Length * 3);
        Span<byte> buffer = maxBytes <= 1024 ? stackalloc byte[1024] : new byte[maxBytes];
        var writer = new SpanWriter(buffer);
        writer.WriteByte(FormatVersion);
        writer.WriteCount(tableCount);
        writer.WriteCount(self.Length);
        writer.WriteBytes(self);
        if (leftId is not null)
        {
            writer.WriteCount(leftId.Length);
            writer.WriteBytes(leftId);
        }

        if (rightId is not null)
        {
            writer.WriteCount(rightId.Length);
            writer.WriteBytes(rightId);
        }

        writer.WriteCount(1);
        writer.WriteCount(0);
        writer.WriteCount(clock);
        writer.WriteCount(1);
        WriteItem(ref writer, table, _localClient, clock, text.Length, false, olc, olk, orc, ork);
        writer.WriteCount(0);
        int byteCount = System.Text.Encoding.UTF8.GetByteCount(text);
        writer.WriteCount(byteCount);
        writer.WriteUtf8(text);
        return new TextUpdate(writer.ToArray());
    }

    private TextUpdate EncodeDeleteSet(DeleteSetBuilder deletes)
    {
        ReadOnlySpan<DeleteRange> ranges = deletes.Normalize();
        int[] table = EditTable();
        int tableCount = 0;
        foreach (DeleteRange range in ranges)
        {
            if (table[range.Client] < 0)
            {
                table[range.Client] = tableCount++;
            }
        }

        ByteWriter writer = _editWriter;
        writer.Reset();
        writer.WriteByte(FormatVersion);
        WriteReplicaTable(writer, table, tableCount);
        writer.WriteCount(0);
        WriteDeleteSet(writer, table, ranges);
        writer.WriteCount(0);
        return new TextUpdate(writer.ToArray());
    }

    private void WriteReplicaTable(ByteWriter writer, int[] table, int tableCount)
    {
        writer.WriteCount(tableCount);
        Span<int> order = tableCount <= 16 ? stackalloc int[tableCount] : new int[tableCount];
        for (int c = 0; c < _clients.Count; c++)
        {
            if (table[c] >= 0)
            {
                order[table[c]] = c;
            }
        }

        foreach (int c in order)
        {
            byte[] id = _clients[c].Utf8Id;
            writer.WriteCount(id.Length);
            writer.WriteBytes(id);
        }
    }

    private static void WriteItem(ByteWriter writer, int[] table, int client, int clock, int length, bool deleted, int olc, int olk, int orc, int ork)
    {
        var span = new SpanWriter(writer.GetSpan(32));
        WriteItem(ref span, table, client, clock, length, deleted, olc, olk, orc, ork);
        writer.Advance(span.Position);
    }

    private static void WriteItem(ref SpanWriter writer, ReadOnlySpan<int> table, int client, int clock, int length, bool deleted, int olc, int olk, int orc, int ork)
    {
        int originLeft = olc < 0 ? OriginLeftNone
            : olc != client ? OriginLeftOtherReplica
            : olk == clock - 1 ? OriginLeftPrevious
            : OriginLeftSameReplica;
        int originRight = orc < 0 ? OriginRightNone : orc == client ? OriginRightSameReplica : OriginRightOtherReplica;
        int info = originLeft | (originRight << 2) | (deleted ? DeletedFlag : 0) | (length <= 7 ? length << 5 : 0);
        writer.WriteByte((byte)info);
        if (length > 7)
        {
            writer.WriteCount(length);
        }

        if (originLeft == OriginLeftSameReplica)
        {
            writer.WriteCount(clock - 1 - olk);
        }
        else if (originLeft == OriginLeftOtherReplica)
        {
            writer.WriteCount(table[olc]);
            writer.WriteCount(olk);
        }

        if (originRight == OriginRightSameReplica)
        {
            writer.WriteCount(clock - 1 - ork);
        }
        else if (originRight == OriginRightOtherReplica)
        {
            writer.WriteCount(table[orc]);
            writer.WriteCount(ork);
        }
    }

    private static void WriteDeleteSet(ByteWriter writer, int[] table, ReadOnlySpan<DeleteRange> ranges)
    {
        int clientCount = 0;
        for (int i = 0; i < ranges.Length; i++)
        {
            if (i == 0 || ranges[i].Client != ranges[i - 1].Client)
            {
                clientCount++;
            }
        }

        writer.WriteCount(clientCount);
        int index = 0;
        while (index < ranges.Length)
        {
            int client = ranges[index].Client;
            int end = index;
            while (end < ranges.Length && ranges[end].Client == client)
            {
                end++;
            }

            writer.WriteCount(table[client]);
            writer.WriteCount(end - index);
            int previousEnd = 0;
            for (int i = index; i < end; i++)
            {
                writer.WriteCount(ranges[i].Clock - previousEnd);
                writer.WriteCount(ranges[i].Length);
                previousEnd = ranges[i].Clock + ranges[i].Length;
            }

            index = end;
        }
    }

    private static void WriteUtf8(ByteWriter writer, ReadOnlySpan<char> text)
    {
        Span<byte> target = writer.GetSpan(text.Length * 3);
        writer.Advance(System.Text.Encoding.UTF8.GetBytes(text, target));
    }
}
