using System;

namespace Sync.Crdt.Text.Internal;

/// <summary>Receives a document's own local edits (its undo manager). Called after the edit, before its update is encoded.</summary>
internal interface ILocalEditObserver
{
    /// <summary>The local replica inserted code units at clocks [clock, clock + length).</summary>
    void OnLocalInsert(int clock, int length);

    /// <summary>The local replica deleted <paramref name="runs"/> (ids in document order) whose text was <paramref name="text"/>.</summary>
    void OnLocalDelete(ReadOnlySpan<DeleteRange> runs, ReadOnlySpan<char> text);
}
