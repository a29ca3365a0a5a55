using System;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication.Storage;

/// <summary>What an <see cref="IDocumentChangeFeed"/> signal says.</summary>
public enum DocumentChangeKind
{
    /// <summary>A writer committed to the named document; its head was at least <see cref="DocumentChange.Head"/>.</summary>
    Committed = 0,

    /// <summary>Signals may have been missed (the feed reconnected): re-read from the cursor, whatever the document.</summary>
    Resync = 1,
}

/// <summary>One signal of an <see cref="IDocumentChangeFeed"/>: a document that may have new records, or a Resync.</summary>
/// <remarks>An immutable value; thread-safe.</remarks>
[Immutable]
public readonly record struct DocumentChange
{
    /// <summary>Creates a signal.</summary>
    /// <param name="kind">What happened.</param>
    /// <param name="document">The document (for <see cref="DocumentChangeKind.Committed"/>), or <see langword="null"/> for a Resync.</param>
    /// <param name="head">The head the writer committed (0 for a Resync).</param>
    /// <exception cref="ArgumentException">A Committed signal without a document, or a negative head.</exception>
    public DocumentChange(DocumentChangeKind kind, string? document, long head)
    {
        if (kind == DocumentChangeKind.Committed && document is null)
        {
            throw new ArgumentException("A Committed signal names its document.", nameof(document));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(head);
        Kind = kind;
        Document = document;
        Head = head;
    }

    /// <summary>Gets what happened.</summary>
    public DocumentChangeKind Kind { get; }

    /// <summary>Gets the document a Committed signal names (<see langword="null"/> for a Resync).</summary>
    public string? Document { get; }

    /// <summary>Gets the head the writer committed: a hint, the store may already be further (0 for a Resync).</summary>
    public long Head { get; }

    /// <summary>Gets the Resync signal.</summary>
    public static DocumentChange Resync => new(DocumentChangeKind.Resync, null, 0);

    /// <summary>Creates a Committed signal.</summary>
    /// <param name="document">The document.</param>
    /// <param name="head">Its head after the commit.</param>
    /// <returns>The signal.</returns>
    public static DocumentChange Committed(string document, long head) => new(DocumentChangeKind.Committed, document, head);
}
