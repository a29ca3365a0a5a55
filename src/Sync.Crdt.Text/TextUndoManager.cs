using System;
using System.Collections.Generic;
using Sync.Crdt.Annotations;
using Sync.Crdt.Text.Internal;

namespace Sync.Crdt.Text;

/// <summary>
/// Undo and redo of one replica's own edits of a <see cref="TextDocument"/>, in the manner of Yjs's <c>UndoManager</c>:
/// it records this replica's <see cref="TextDocument.Insert"/> and <see cref="TextDocument.Delete"/> calls (never remote
/// updates), groups edits made within <see cref="CaptureTimeout"/> of each other into one step, and turns an undo or
/// redo into ordinary local edits whose <see cref="TextUpdate"/> the caller ships like any other.
/// </summary>
/// <remarks>
/// <para><b>What undo does.</b> Undoing a step deletes the text the step inserted (what is still visible of it: text that
/// other replicas deleted meanwhile stays deleted, and text they typed inside it stays) and restores the text the step
/// deleted by inserting it again with fresh ids exactly where it was (in place of each deleted part, between the same
/// neighbours, deleted ones included), so that text others typed meanwhile keeps its place. Redo is the undo of an undo.
/// Because undo works on ids, not indices, it stays correct after any concurrent remote edits; other replicas simply
/// receive the step's update.</para>
/// <para><b>Positions.</b> A <see cref="TextPosition"/> bound to a code unit that an undo or redo restored resolves, on this
/// document, to the restored code unit (the document remembers where restored text went), so carets and selections
/// return to their place. On other replicas it resolves to where the deleted code unit was.</para>
/// <para><b>Grouping.</b> An edit joins the current step when it comes less than <see cref="CaptureTimeout"/> after the
/// previous recorded edit, measured with the <see cref="TimeProvider"/> given to the constructor; <see cref="StopCapturing"/>
/// closes the current step. Undo and redo close it too, and a new edit clears the redo stack.</para>
/// <para><b>Complexity.</b> Recording an edit costs O(1) for an insert and O(deleted length) for a delete (the deleted text is
/// kept); undoing a step costs O(step size × (chunks + 64 + log n)). Memory grows with the recorded history until
/// <see cref="Clear"/>.</para>
/// <para><b>Thread safety.</b> Not thread-safe; use it on the thread that uses its document. Dispose it (or
/// <see cref="Clear"/> it) to stop recording.</para>
/// </remarks>
[Mutable]
public sealed class TextUndoManager : IDisposable
{
    /// <summary>The default <see cref="CaptureTimeout"/>: 500 ms, as in Yjs.</summary>
    public static readonly TimeSpan DefaultCaptureTimeout = TimeSpan.FromMilliseconds(500);

    private readonly Stack<UndoStep> _undo = new();
    private readonly Stack<UndoStep> _redo = new();
    private readonly DeleteSet _deletes = new();
    private readonly Observer _observer;
    private readonly TimeProvider _time;
    private UndoStep? _capturing;
    private long _lastEdit;
    private bool _applying;
    private bool _disposed;

    /// <summary>Creates an undo manager that records the local edits of <paramref name="document"/> from now on.</summary>
    /// <param name="document">The document; its earlier edits are not recorded.</param>
    /// <param name="captureTimeout">Edits less than this apart form one step; <see cref="TimeSpan.Zero"/> makes every edit its own
    /// step. <see langword="null"/> means <see cref="DefaultCaptureTimeout"/>.</param>
    /// <param name="timeProvider">The clock for grouping; <see langword="null"/> means <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="captureTimeout"/> is negative.</exception>
    public TextUndoManager(TextDocument document, TimeSpan? captureTimeout = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        TimeSpan timeout = captureTimeout ?? DefaultCaptureTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero, nameof(captureTimeout));
        Document = document;
        CaptureTimeout = timeout;
        _time = timeProvider ?? TimeProvider.System;
        _observer = new Observer(this);
        document.AddObserver(_observer);
    }

    /// <summary>Gets the document whose local edits this manager records.</summary>
    public TextDocument Document { get; }

    /// <summary>Gets the longest pause between two edits of one step.</summary>
    public TimeSpan CaptureTimeout { get; }

    /// <summary>Gets a value indicating whether <see cref="Undo"/> has a step to undo. O(1).</summary>
    public bool CanUndo => _undo.Count > 0;

    /// <summary>Gets a value indicating whether <see cref="Redo"/> has a step to redo. O(1).</summary>
    public bool CanRedo => _redo.Count > 0;

    /// <summary>Gets the number of steps on the undo stack. O(1).</summary>
    public int UndoCount => _undo.Count;

    /// <summary>Gets the number of steps on the redo stack. O(1).</summary>
    public int RedoCount => _redo.Count;

    /// <summary>
    /// Undoes the latest step that still changes something (steps whose effect other replicas already removed entirely
    /// are dropped) and moves it to the redo stack.
    /// </summary>
    /// <returns>The update that carries the undo to other replicas; <see cref="TextUpdate.Empty"/> when nothing was undone.</returns>
    /// <exception cref="ObjectDisposedException">The manager was disposed.</exception>
    public TextUpdate Undo() => Revert(_undo, _redo);

    /// <summary>Redoes the latest undone step and moves it back to the undo stack.</summary>
    /// <returns>The update that carries the redo to other replicas; <see cref="TextUpdate.Empty"/> when nothing was redone.</returns>
    /// <exception cref="ObjectDisposedException">The manager was disposed.</exception>
    public TextUpdate Redo() => Revert(_redo, _undo);

    /// <summary>Closes the current step: the next edit starts a new one, however soon it comes.</summary>
    public void StopCapturing() => _capturing = null;

    /// <summary>Forgets both stacks (and the text they kept).</summary>
    public void Clear()
    {
        _undo.Clear();
        _redo.Clear();
        _capturing = null;
    }

    /// <summary>Stops recording the document's edits and forgets both stacks.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            Document.RemoveObserver(_observer);
            Clear();
            _disposed = true;
        }
    }

    private UndoStep CurrentStep()
    {
        long now = _time.GetTimestamp();
        bool join = _capturing is not null && _time.GetElapsedTime(_lastEdit, now) < CaptureTimeout;
        _lastEdit = now;
        if (!join)
        {
            _capturing = new UndoStep();
            _undo.Push(_capturing);
        }

        _redo.Clear();
        return _capturing!;
    }

    private void OnInsert(int clock, int length)
    {
        if (!_applying)
        {
            CurrentStep().AddInserted(clock, length);
        }
    }

    private void OnDelete(ReadOnlySpan<DeleteRange> runs, ReadOnlySpan<char> text)
    {
        if (_applying)
        {
            return;
        }

        UndoStep step = CurrentStep();
        int local = Document.LocalClient;
        int used = 0;
        foreach (DeleteRange run in runs)
        {
            // Text this step inserted and deleted again is not restored by its undo: skip those clocks.
            int start = 0;
            for (int i = 0; i <= run.Length; i++)
            {
                bool skip = i < run.Length && run.Client == local && step.InsertedClock(run.Clock + i);
                if (i == run.Length || skip)
                {
                    if (i > start)
                    {
                        step.Deleted.Add((run.Client, run.Clock + start, new string(text.Slice(used + start, i - start))));
                    }

                    start = i + 1;
                }
            }

            used += run.Length;
        }
    }

    private TextUpdate Revert(Stack<UndoStep> from, Stack<UndoStep> to)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _capturing = null;
        while (from.TryPop(out UndoStep? step))
        {
            var reverse = new UndoStep();
            int startClock = Document.Store.Client(Document.LocalClient).Next;
            _deletes.Clear();
            _applying = true;
            try
            {
                DeleteInserted(step, reverse);
                RestoreDeleted(step, reverse);
            }
            finally
            {
                _applying = false;
            }

            if (!reverse.IsEmpty)
            {
                to.Push(reverse);
                return Document.EncodeLocalChanges(startClock, _deletes);
            }
        }

        return TextUpdate.Empty;
    }

    /// <summary>Deletes what is still visible of the step's insertions (following text that undo steps restored), keeping it
    /// in <paramref name="reverse"/> so that undoing the reverse step restores it.</summary>
    private void DeleteInserted(UndoStep step, UndoStep reverse)
    {
        var visible = new List<(int Index, int Clock, string Text)>();
        foreach ((int clock, int length) in step.Inserted)
        {
            CollectVisible(clock, clock + length, visible, depth: 0);
        }

        visible.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        int local = Document.LocalClient;
        for (int i = 0; i < visible.Count; i++)
        {
            (int index, int clock, string text) = visible[i];
            while (i + 1 < visible.Count && visible[i + 1].Clock == clock + text.Length && visible[i + 1].Index == index + text.Length)
            {
                text += visible[++i].Text;
            }

            reverse.Deleted.Add((local, clock, text));
            Document.DeleteOwnClocks(clock, clock + text.Length, _deletes);
        }
    }

    private void CollectVisible(int from, int to, List<(int Index, int Clock, string Text)> into, int depth)
    {
        ItemStore store = Document.Store;
        int local = Document.LocalClient;
        int clock = from;
        while (clock < to)
        {
            int item = store.FindItem(local, clock);
            int end = Math.Min(store[item].Clock + store[item].Length, to);
            int offset = clock - store[item].Clock;
            if (store[item].Content >= 0)
            {
                into.Add((store.IndexOfItem(item) + offset, clock, new string(store.Content(store[item].Content + offset, end - clock).Span)));
            }
            else if (depth < 64)
            {
                for (int c = clock; c < end; c++)
                {
                    if (Document.TryFollowRedirect(local, c, out int restored))
                    {
                        CollectVisible(restored, restored + 1, into, depth + 1);
                    }
                }
            }

            clock = end;
        }
    }

    /// <summary>Inserts the step's deleted text again, with fresh ids, in place of each part's tombstone.</summary>
    private void RestoreDeleted(UndoStep step, UndoStep reverse)
    {
        foreach ((int client, int clock, string text) in step.Deleted)
        {
            int done = 0;
            while (done < text.Length)
            {
                int take = Document.RestoreBefore(client, clock + done, text.AsSpan(done), out int restored);
                Document.Redirect(client, clock + done, take, restored);
                reverse.AddInserted(restored, take);
                done += take;
            }
        }
    }

    /// <summary>Forwards the document's notifications (kept private so that the manager's public surface stays clean).</summary>
    private sealed class Observer : ILocalEditObserver
    {
        private readonly TextUndoManager _owner;

        public Observer(TextUndoManager owner)
        {
            _owner = owner;
        }

        public void OnLocalInsert(int clock, int length) => _owner.OnInsert(clock, length);

        public void OnLocalDelete(ReadOnlySpan<DeleteRange> runs, ReadOnlySpan<char> text) => _owner.OnDelete(runs, text);
    }
}
