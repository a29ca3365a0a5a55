using System;
using Sync.Ot;

namespace Sync.Crdt.Protocol;

/// <summary>An operation the OT server applied: its revision, author, the author's sequence number and the transformed
/// operation. The payload of a server's update frame on an OT channel and the record an OT document stores.</summary>
/// <remarks>Immutable. The sequence lets a reconnecting author recognize its own operation (applied, but whose ack was
/// lost) instead of sending it twice.</remarks>
public sealed class OtCommittedOperation
{
    /// <summary>Creates a committed operation.</summary>
    /// <param name="revision">The revision it produced (positive).</param>
    /// <param name="author">The author's replica id.</param>
    /// <param name="sequence">The author's update sequence number (positive).</param>
    /// <param name="operation">The operation as applied at <paramref name="revision"/> − 1.</param>
    public OtCommittedOperation(long revision, string author, long sequence, TextOperation operation)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(revision);
        ArgumentException.ThrowIfNullOrEmpty(author);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sequence);
        ArgumentNullException.ThrowIfNull(operation);
        Revision = revision;
        Author = author;
        Sequence = sequence;
        Operation = operation;
    }

    /// <summary>The revision the operation produced.</summary>
    public long Revision { get; }

    /// <summary>The author.</summary>
    public string Author { get; }

    /// <summary>The author's sequence number.</summary>
    public long Sequence { get; }

    /// <summary>The applied operation.</summary>
    public TextOperation Operation { get; }

    /// <summary>The operation as the OT library's revisioned operation.</summary>
    /// <returns>The revisioned operation.</returns>
    public RevisionedOperation ToRevisioned() => new(Revision, Author, Operation);
}
