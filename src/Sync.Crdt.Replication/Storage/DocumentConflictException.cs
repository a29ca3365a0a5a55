using System;

namespace Sync.Crdt.Replication.Storage;

/// <summary>
/// A commit was refused because it does not fit the document as stored: its <see cref="DocumentCommit.ExpectedHead"/>
/// differs from the head (another writer appended), or its snapshot or truncation breaks the store's rules. Nothing of
/// the commit was applied.
/// </summary>
public class DocumentConflictException : DocumentStoreException
{
    /// <summary>Creates an exception with a default message.</summary>
    public DocumentConflictException()
        : base("The commit does not fit the stored document.")
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="message">What does not fit.</param>
    public DocumentConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with an inner exception.</summary>
    /// <param name="message">What does not fit.</param>
    /// <param name="innerException">The underlying error.</param>
    public DocumentConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
