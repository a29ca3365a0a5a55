using System.Collections.Generic;

namespace Sync.Crdt.Text.Internal;

/// <summary>
/// Where deleted code units were restored with fresh ids (by an undo or redo step), so that a stable position bound to a
/// restored code unit follows it to its new id (Yjs keeps <c>Item.redone</c> for the same purpose). Per source client, ranges
/// of clocks sorted by clock; a lookup is a binary search. Only undo steps add entries, so a document without an undo
/// manager keeps it empty. Not thread-safe.
/// </summary>
internal sealed class RedirectMap
{
    private readonly Dictionary<int, List<Entry>> _byClient = new();

    /// <summary>Records that clocks [clock, clock + length) of <paramref name="client"/> live on as the local clocks from
    /// <paramref name="restoredClock"/>. A range already recorded keeps its first target.</summary>
    public void Add(int client, int clock, int length, int restoredClock)
    {
        if (!_byClient.TryGetValue(client, out List<Entry>? entries))
        {
            entries = new List<Entry>();
            _byClient.Add(client, entries);
        }

        int at = Search(entries, clock);
        if (at >= 0 && clock < entries[at].Clock + entries[at].Length)
        {
            return;
        }

        entries.Insert(at + 1, new Entry(clock, length, restoredClock));
    }

    /// <summary>Finds where a code unit was restored.</summary>
    public bool TryFollow(int client, int clock, out int restoredClock)
    {
        if (_byClient.TryGetValue(client, out List<Entry>? entries))
        {
            int at = Search(entries, clock);
            if (at >= 0 && clock < entries[at].Clock + entries[at].Length)
            {
                restoredClock = entries[at].RestoredClock + (clock - entries[at].Clock);
                return true;
            }
        }

        restoredClock = -1;
        return false;
    }

    /// <summary>Returns the index of the last entry starting at or before <paramref name="clock"/>, or -1.</summary>
    private static int Search(List<Entry> entries, int clock)
    {
        int lo = 0;
        int hi = entries.Count - 1;
        int found = -1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            if (entries[mid].Clock <= clock)
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

    private readonly record struct Entry(int Clock, int Length, int RestoredClock);
}
