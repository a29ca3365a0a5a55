using System.Collections.Immutable;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication.Storage;

/// <summary>The answer to <see cref="IDocumentStore.ReadLogAsync"/>: some records, where the retained log starts and where it ends.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
[Immutable]
public sealed class LogSlice
{
    /// <summary>Creates a slice.</summary>
    /// <param name="records">The records, ascending by position.</param>
    /// <param name="start">The first retained position of the document's log (<paramref name="head"/> + 1 when none is retained).</param>
    /// <param name="head">The document's head.</param>
    public LogSlice(ImmutableArray<LogRecord> records, long start, long head)
    {
        Records = records.IsDefault ? [] : records;
        Start = start;
        Head = head;
    }

    /// <summary>Gets the records read, ascending by position.</summary>
    public ImmutableArray<LogRecord> Records { get; }

    /// <summary>Gets the first position still in the log; a reader whose cursor is below <c>Start - 1</c> missed compacted records and must load the snapshot.</summary>
    public long Start { get; }

    /// <summary>Gets the document's head (the last position ever appended); the reader is caught up when its cursor reaches it.</summary>
    public long Head { get; }
}
