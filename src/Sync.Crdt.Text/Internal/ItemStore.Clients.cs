using System;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Text.Internal;

/// <content>Clients and id lookup: replica numbering, each client's chain of items in clock order, clock to item.</content>
internal sealed partial class ItemStore
{
    /// <summary>Returns the client number of <paramref name="replica"/>, numbering it on first use.</summary>
    public int ClientNumber(ReplicaId replica)
    {
        if (!_clientNumbers.TryGetValue(replica, out int client))
        {
            client = _clients.Count;
            _clients.Add(new ClientLog(replica));
            _clientNumbers.Add(replica, client);
        }

        return client;
    }

    /// <summary>Finds the client number of a replica the store has seen.</summary>
    public bool TryGetClient(ReplicaId replica, out int client) => _clientNumbers.TryGetValue(replica, out client);

    /// <summary>Returns what the store knows of a client.</summary>
    public ClientLog Client(int client) => _clients[client];

    /// <summary>Gets a value indicating whether clock <paramref name="clock"/> of <paramref name="client"/> is integrated (client -1: no id, always).</summary>
    public bool IsIntegrated(int client, int clock) => client < 0 || clock < _clients[client].Next;

    private void ReplaceSortedEntry(ClientLog log, int oldItem, int newItem)
    {
        if (log.Stale)
        {
            return;
        }

        // Earlier merges may have left the same item in several adjacent entries: replace them all.
        for (int slot = SearchSorted(log, _items[oldItem].Clock); slot >= 0 && log.Sorted[slot] == oldItem; slot--)
        {
            log.Sorted[slot] = newItem;
        }
    }

    /// <summary>Returns the index of the last entry of the sorted array whose clock is at most <paramref name="clock"/>, or -1.</summary>
    private int SearchSorted(ClientLog log, int clock)
    {
        int[] sorted = log.Sorted;
        int lo = 0;
        int hi = log.SortedCount - 1;
        int found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_items[sorted[mid]].Clock <= clock)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found;
    }

    private void AppendToClient(int client, int item)
    {
        ClientLog log = _clients[client];
        if (log.Last >= 0)
        {
            _items[log.Last].NextInClient = item;
        }
        else
        {
            log.First = item;
        }

        log.Last = item;
        _items[item].NextInClient = -1;
        if (!log.Stale)
        {
            if (log.SortedCount == log.Sorted.Length)
            {
                Array.Resize(ref log.Sorted, Math.Max(8, log.Sorted.Length * 2));
            }

            log.Sorted[log.SortedCount++] = item;
        }
    }

    /// <summary>Finds the item holding clock <paramref name="clock"/> of <paramref name="client"/>; the clock must be integrated.</summary>
    public int FindItem(int client, int clock)
    {
        ClientLog log = _clients[client];
        int last = log.Last;
        if (clock >= _items[last].Clock)
        {
            // Fast path: the client's latest run (typing, loading in clock order).
            return last;
        }

        if (log.Stale)
        {
            RebuildSorted(log);
        }

        int slot = SearchSorted(log, clock);
        int h = slot >= 0 ? log.Sorted[slot] : log.First;
        int steps = 0;
        while (clock >= _items[h].Clock + _items[h].Length)
        {
            h = _items[h].NextInClient;
            steps++;
        }

        if (steps > MaxLookupWalk)
        {
            log.Stale = true;
        }

        return h;
    }

    private void RebuildSorted(ClientLog log)
    {
        int count = 0;
        for (int h = log.First; h >= 0; h = _items[h].NextInClient)
        {
            count++;
        }

        if (log.Sorted.Length < count)
        {
            log.Sorted = new int[Math.Max(8, count + (count / 4))];
        }

        int i = 0;
        for (int h = log.First; h >= 0; h = _items[h].NextInClient)
        {
            log.Sorted[i++] = h;
        }

        log.SortedCount = count;
        log.Stale = false;
    }
}
