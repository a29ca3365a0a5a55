using System.Collections.Generic;

namespace Sync.Crdt.Text.Internal;

/// <summary>
/// One entry of an undo or redo stack: the local clocks it inserted and the text it deleted (ids and code units, in
/// document order). Undoing it deletes what it inserted and restores what it deleted with fresh ids.
/// </summary>
internal sealed class UndoStep
{
    /// <summary>Gets the local clock ranges inserted, in clock order (touching ranges merged).</summary>
    public List<(int Clock, int Length)> Inserted { get; } = new();

    /// <summary>Gets the deleted runs in document order: the client and first clock of each run and its text.</summary>
    public List<(int Client, int Clock, string Text)> Deleted { get; } = new();

    /// <summary>Gets a value indicating whether the step holds nothing.</summary>
    public bool IsEmpty => Inserted.Count == 0 && Deleted.Count == 0;

    public void AddInserted(int clock, int length)
    {
        if (Inserted.Count > 0 && Inserted[^1].Clock + Inserted[^1].Length == clock)
        {
            Inserted[^1] = (Inserted[^1].Clock, Inserted[^1].Length + length);
            return;
        }

        Inserted.Add((clock, length));
    }

    /// <summary>Returns whether local clock <paramref name="clock"/> was inserted by this step.</summary>
    public bool InsertedClock(int clock)
    {
        int lo = 0;
        int hi = Inserted.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            (int start, int length) = Inserted[mid];
            if (clock < start)
            {
                hi = mid - 1;
            }
            else if (clock >= start + length)
            {
                lo = mid + 1;
            }
            else
            {
                return true;
            }
        }

        return false;
    }
}
