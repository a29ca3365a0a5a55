using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Sync.Crdt.Annotations;

namespace Sync.Ot;

/// <summary>
/// An operation the server applied, as it is broadcast to every client: it turned revision
/// <c><see cref="Revision"/> - 1</c> into <see cref="Revision"/>, and <see cref="AuthorId"/> made it.
/// </summary>
/// <remarks>Equality is structural (ordinal author id). This type is immutable and thread-safe.</remarks>
[Immutable]
public sealed class RevisionedOperation : IEquatable<RevisionedOperation>
{
    /// <summary>Creates a record.</summary>
    /// <param name="revision">The revision the operation produced; 1 or more.</param>
    /// <param name="authorId">The id of the client that made the operation.</param>
    /// <param name="operation">The operation, as transformed and applied by the server.</param>
    /// <exception cref="ArgumentNullException"><paramref name="authorId"/> or <paramref name="operation"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="revision"/> is less than 1.</exception>
    public RevisionedOperation(long revision, string authorId, TextOperation operation)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(revision, 1);
        ArgumentNullException.ThrowIfNull(authorId);
        ArgumentNullException.ThrowIfNull(operation);
        Revision = revision;
        AuthorId = authorId;
        Operation = operation;
    }

    /// <summary>Gets the revision this operation produced (the server's revision right after applying it).</summary>
    public long Revision { get; }

    /// <summary>Gets the id of the client that made the operation.</summary>
    public string AuthorId { get; }

    /// <summary>Gets the operation as the server applied it (transformed against everything before it).</summary>
    public TextOperation Operation { get; }

    /// <summary>Returns <see langword="true"/> when both records have the same revision, author and operation.</summary>
    /// <param name="other">The record to compare with.</param>
    /// <returns>Whether the records are equal.</returns>
    public bool Equals([NotNullWhen(true)] RevisionedOperation? other) =>
        other is not null && Revision == other.Revision && string.Equals(AuthorId, other.AuthorId, StringComparison.Ordinal) && Operation.Equals(other.Operation);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as RevisionedOperation);

    /// <summary>Returns a hash consistent with <see cref="Equals(RevisionedOperation)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Revision, string.GetHashCode(AuthorId, StringComparison.Ordinal), Operation);

    /// <summary>Returns <c>r{revision} by {author}: {operation}</c>.</summary>
    /// <returns>A readable form.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"r{Revision} by {AuthorId}: {Operation}");
}
