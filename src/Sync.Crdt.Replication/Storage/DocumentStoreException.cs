using System;

namespace Sync.Crdt.Replication.Storage;

/// <summary>
/// A document store could not do what was asked: an I/O error, a full disk, a store file in use, corrupt or of another
/// application, or a store that was closed underneath. A commit that throws it applied nothing.
/// </summary>
public class DocumentStoreException : Exception
{
    /// <summary>Creates an exception with a default message.</summary>
    public DocumentStoreException()
        : base("The document store failed.")
    {
    }

    /// <summary>Creates an exception.</summary>
    /// <param name="message">What failed.</param>
    public DocumentStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception wrapping the store's own error.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The underlying error (for example the database driver's).</param>
    public DocumentStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
