namespace Sync.Ot;

/// <summary>Why a server rejected a submission, or why a client refused a message.</summary>
public enum ProtocolError
{
    /// <summary>No error: the submission was accepted.</summary>
    None = 0,

    /// <summary>The operation's base length differs from the document's length (both in code points) at the revision it claims to be based on.</summary>
    BaseLengthMismatch = 1,

    /// <summary>The base revision is newer than the server's current revision.</summary>
    RevisionFromFuture = 2,

    /// <summary>The base revision is negative.</summary>
    InvalidRevision = 3,

    /// <summary>
    /// The base revision is older than the history the server keeps, so the operation cannot be transformed: the
    /// client must resynchronize from the snapshot that comes with the rejection.
    /// </summary>
    ResyncRequired = 4,

    /// <summary>
    /// The operation is concurrent with an operation by the same client (a client sends one operation at a time and
    /// bases the next on the acknowledgement): typically a duplicate submission after a lost acknowledgement.
    /// </summary>
    ConcurrentWithOwnOperation = 5,

    /// <summary>A client received an acknowledgement while it had no operation in flight.</summary>
    UnexpectedAcknowledgement = 6,

    /// <summary>A client received a message whose revision is not the one right after its own.</summary>
    OutOfOrderRevision = 7,
}
