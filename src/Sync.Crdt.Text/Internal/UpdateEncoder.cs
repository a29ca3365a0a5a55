using System;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Text.Internal;

/// <summary>
/// Writes updates in the byte format of docs/text.md from an <see cref="ItemStore"/> (y-crdt's update encoder): a local
/// insert, a local delete set, and the difference between the store and a peer's clocks (whole states, state-vector
/// diffs, and the changes of an undo step). Holds reusable scratch buffers, so one encoder serves one document; not
/// thread-safe.
/// </summary>
internal sealed class UpdateEncoder
{
    private readonly ByteWriter _editWriter = new(64);
    private readonly DeleteSet _stateDeletes = new();
    private int[] _editTable = new int[4];

    /// <summary>
    /// Encodes what a peer with state vector <paramref name="peerState"/> lacks: every client's items from the peer's clock on
    /// (deleted ones as bare lengths) and the delete set of the deleted ranges below the peer's clocks. With
    /// <see langword="null"/> or an empty vector, the whole document. O(n).
    /// </summary>
    public TextUpdate EncodeState(ItemStore store, VersionVector? peerState)
    {
        int clientCount = store.ClientCount;
        int[] starts = new int[clientCount];
        for (int c = 0; c < clientCount; c++)
        {
            ClientLog log = store.Client(c);
            long peer = peerState is null ? 0 : peerState[log.Replica];
            starts[c] = (int)Math.Min(peer, log.Next);
        }

        // Delete set: deleted ranges among the clocks the peer already has.
        _stateDeletes.Clear();
        for (int c = 0; c < clientCount; c++)
        {
            int limit = starts[c];
            for (int h = limit > 0 ? store.Client(c).First : -1; h >= 0 && store[h].Clock < limit; h = store[h].NextInClient)
            {
                if (store[h].Content < 0)
                {
                    _stateDeletes.Add(c, store[h].Clock, Math.Min(store[h].Length, limit - store[h].Clock));
                }
            }
        }

        return EncodeChanges(store, starts, _stateDeletes, wholeTable: true);
    }

    /// <summary>
    /// Encodes every client's items from clock <paramref name="starts"/>[client] on (an item that straddles the start is cut,
    /// with origin-left = the clock before the cut) and the delete set <paramref name="deletes"/>. The replica table holds every
    /// client with clocks when <paramref name="wholeTable"/>, otherwise only the clients the update names. O(items written + clients).
    /// </summary>
    public TextUpdate EncodeChanges(ItemStore store, ReadOnlySpan<int> starts, DeleteSet deletes, bool wholeTable = false)
    {
        ReadOnlySpan<DeleteRange> ranges = deletes.Normalize();
        int clientCount = store.ClientCount;
        int[] table = new int[clientCount];
        table.AsSpan().Fill(-1);
        int blockCount = 0;
        for (int c = 0; c < clientCount; c++)
        {
            bool hasItems = starts[c] < store.Client(c).Next;
            blockCount += hasItems ? 1 : 0;
            if (hasItems || (wholeTable && store.Client(c).Next > 0))
            {
                table[c] = 0;
            }

            if (hasItems && !wholeTable)
            {
                MarkOriginClients(store, c, starts[c], table);
            }
        }

        foreach (DeleteRange range in ranges)
        {
            table[range.Client] = 0;
        }

        int tableCount = 0;
        for (int c = 0; c < clientCount; c++)
        {
            if (table[c] == 0)
            {
                table[c] = tableCount++;
            }
        }

        var writer = new ByteWriter(64 + (store.ItemCount * 4));
        var content = new ByteWriter(store.Length + 16);
        writer.WriteByte(UpdateFormat.Version);
        WriteReplicaTable(store, writer, table, tableCount);
        writer.WriteCount(blockCount);
        for (int c = 0; c < clientCount; c++)
        {
            int start = starts[c];
            if (start >= store.Client(c).Next)
            {
                continue;
            }

            int first = store.FindItem(c, start);
            int itemCount = 0;
            for (int h = first; h >= 0; h = store[h].NextInClient)
            {
                itemCount++;
            }

            writer.WriteCount(table[c]);
            writer.WriteCount(start);
            writer.WriteCount(itemCount);
            for (int h = first; h >= 0; h = store[h].NextInClient)
            {
                ref ItemRecord item = ref store[h];
                int skip = start > item.Clock ? start - item.Clock : 0;
                var origins = skip > 0
                    ? new ItemOrigins(c, start - 1, item.OriginRightClient, item.OriginRightClock)
                    : new ItemOrigins(item.OriginLeftClient, item.OriginLeftClock, item.OriginRightClient, item.OriginRightClock);
                WriteItem(writer, table, c, item.Clock + skip, item.Length - skip, item.Content < 0, origins);
                if (item.Content >= 0)
                {
                    WriteUtf8(content, store.Content(item.Content + skip, item.Length - skip).Span);
                }
            }
        }

        WriteDeleteSet(writer, table, ranges);
        writer.WriteCount(content.Length);
        writer.WriteBytes(content.Span);
        return new TextUpdate(writer.ToArray());
    }

    /// <summary>Marks (with 0) the clients named by the origins of the items of <paramref name="client"/> from <paramref name="start"/> on.</summary>
    private static void MarkOriginClients(ItemStore store, int client, int start, int[] table)
    {
        for (int h = store.FindItem(client, start); h >= 0; h = store[h].NextInClient)
        {
            if (store[h].OriginLeftClient >= 0)
            {
                table[store[h].OriginLeftClient] = 0;
            }

            if (store[h].OriginRightClient >= 0)
            {
                table[store[h].OriginRightClient] = 0;
            }
        }
    }

    /// <summary>Encodes a local insert: one item of <paramref name="text"/> at <paramref name="clock"/> of the local client.</summary>
    public static TextUpdate EncodeLocalInsert(ItemStore store, int localClient, int clock, string text, ItemOrigins origins)
    {
        // Replica table: this replica, then the other replicas the origins name (at most three entries).
        int olc = origins.LeftClient;
        int orc = origins.RightClient;
        byte[] self = store.Client(localClient).Utf8Id;
        byte[]? leftId = olc >= 0 && olc != localClient ? store.Client(olc).Utf8Id : null;
        byte[]? rightId = orc >= 0 && orc != localClient && orc != olc ? store.Client(orc).Utf8Id : null;
        int tableCount = 1 + (leftId is null ? 0 : 1) + (rightId is null ? 0 : 1);
        Span<int> table = store.ClientCount <= 64 ? stackalloc int[store.ClientCount] : new int[store.ClientCount];
        table[localClient] = 0;
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
        writer.WriteByte(UpdateFormat.Version);
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
        WriteItem(ref writer, table, localClient, clock, text.Length, false, origins);
        writer.WriteCount(0);
        writer.WriteCount(System.Text.Encoding.UTF8.GetByteCount(text));
        writer.WriteUtf8(text);
        return new TextUpdate(writer.ToArray());
    }

    /// <summary>Encodes an update that carries only a delete set (a local delete).</summary>
    public TextUpdate EncodeDeletes(ItemStore store, DeleteSet deletes)
    {
        ReadOnlySpan<DeleteRange> ranges = deletes.Normalize();
        if (_editTable.Length < store.ClientCount)
        {
            _editTable = new int[Math.Max(store.ClientCount, _editTable.Length * 2)];
        }

        int[] table = _editTable;
        table.AsSpan().Fill(-1);
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
        writer.WriteByte(UpdateFormat.Version);
        WriteReplicaTable(store, writer, table, tableCount);
        writer.WriteCount(0);
        WriteDeleteSet(writer, table, ranges);
        writer.WriteCount(0);
        return new TextUpdate(writer.ToArray());
    }

    private static void WriteReplicaTable(ItemStore store, ByteWriter writer, int[] table, int tableCount)
    {
        writer.WriteCount(tableCount);
        Span<int> order = tableCount <= 16 ? stackalloc int[tableCount] : new int[tableCount];
        for (int c = 0; c < store.ClientCount; c++)
        {
            if (table[c] >= 0)
            {
                order[table[c]] = c;
            }
        }

        foreach (int c in order)
        {
            byte[] id = store.Client(c).Utf8Id;
            writer.WriteCount(id.Length);
            writer.WriteBytes(id);
        }
    }

    private static void WriteItem(ByteWriter writer, int[] table, int client, int clock, int length, bool deleted, ItemOrigins origins)
    {
        var span = new SpanWriter(writer.GetSpan(32));
        WriteItem(ref span, table, client, clock, length, deleted, origins);
        writer.Advance(span.Position);
    }

    private static void WriteItem(ref SpanWriter writer, ReadOnlySpan<int> table, int client, int clock, int length, bool deleted, ItemOrigins origins)
    {
        (int olc, int olk, int orc, int ork) = origins;
        int originLeft = olc < 0 ? UpdateFormat.OriginLeftNone
            : olc != client ? UpdateFormat.OriginLeftOtherReplica
            : olk == clock - 1 ? UpdateFormat.OriginLeftPrevious
            : UpdateFormat.OriginLeftSameReplica;
        int originRight = orc < 0 ? UpdateFormat.OriginRightNone : orc == client ? UpdateFormat.OriginRightSameReplica : UpdateFormat.OriginRightOtherReplica;
        bool inline = length <= UpdateFormat.MaxInlineLength;
        int info = originLeft | (originRight << 2) | (deleted ? UpdateFormat.DeletedFlag : 0) | (inline ? length << 5 : 0);
        writer.WriteByte((byte)info);
        if (!inline)
        {
            writer.WriteCount(length);
        }

        if (originLeft == UpdateFormat.OriginLeftSameReplica)
        {
            writer.WriteCount(clock - 1 - olk);
        }
        else if (originLeft == UpdateFormat.OriginLeftOtherReplica)
        {
            writer.WriteCount(table[olc]);
            writer.WriteCount(olk);
        }

        if (originRight == UpdateFormat.OriginRightSameReplica)
        {
            writer.WriteCount(clock - 1 - ork);
        }
        else if (originRight == UpdateFormat.OriginRightOtherReplica)
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
                previousEnd = ranges[i].End;
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
