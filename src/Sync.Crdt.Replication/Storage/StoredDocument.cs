using System;
using System.Collections.Immutable;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication.Storage;

/// <summary>
/// A document as <see cref="IDocumentStore.LoadAsync"/> reads it: the latest snapshot (if any), every retained log
/// record (ascending; records the snapshot covers may come first), the metadata and the head, all from one consistent
/// point of the commit order. To rebuild the state: start from the snapshot, then apply the records after its position.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
[Immutable]
public sealed class StoredDocument
{
    /// <summary>Creates a stored document.</summary>
    /// <param name="name">The document's name.</param>
    /// <param name="head">The position of the last record ever appended (0 for a new document).</param>
    /// <param name="snapshot">The latest snapshot, or <see langword="null"/>.</param>
    /// <param name="records">The retained records, ascending by position.</param>
    /// <param name="metadata">The metadata values by key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="metadata"/> is <see langword="null"/>.</exception>
    public StoredDocument(string name, long head, StoredSnapshot? snapshot, ImmutableArray<LogRecord> records, ImmutableSortedDictionary<string, ReadOnlyMemory<byte>> metadata)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(metadata);
        Name = name;
        Head = head;
        Snapshot = snapshot;
        Records = records.IsDefault ? [] : records;
        Metadata = metadata;
    }

    /// <summary>Gets the document's name.</summary>
    public string Name { get; }

    /// <summary>Gets the position of the last record ever appended (0 before the first commit that appends).</summary>
    public long Head { get; }

    /// <summary>Gets the latest snapshot, or <see langword="null"/> when none was written.</summary>
    public StoredSnapshot? Snapshot { get; }

    /// <summary>Gets every retained record, ascending by position.</summary>
    public ImmutableArray<LogRecord> Records { get; }

    /// <summary>Gets the metadata values, by key (ordinal order).</summary>
    public ImmutableSortedDictionary<string, ReadOnlyMemory<byte>> Metadata { get; }

    /// <summary>Gets a value indicating whether nothing was ever committed to the document.</summary>
    public bool IsEmpty => Head == 0 && Snapshot is null && Metadata.IsEmpty;

    /// <summary>Returns a short description for logs.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"Document '{Name}': head {Head}, {(Snapshot is null ? "no snapshot" : Snapshot.ToString())}, {Records.Length} record(s), {Metadata.Count} metadata value(s)";
}
