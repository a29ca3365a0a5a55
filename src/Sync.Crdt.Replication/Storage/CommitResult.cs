using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication.Storage;

/// <summary>What a commit did: the positions of its appended records (<see cref="FirstPosition"/> through <see cref="Head"/>) and the document's head afterwards.</summary>
/// <remarks>An immutable value; thread-safe.</remarks>
[Immutable]
public readonly record struct CommitResult
{
    /// <summary>Creates a result.</summary>
    /// <param name="firstPosition">The position of the first appended record (the head plus 1 when nothing was appended).</param>
    /// <param name="head">The document's head after the commit.</param>
    public CommitResult(long firstPosition, long head)
    {
        FirstPosition = firstPosition;
        Head = head;
    }

    /// <summary>Gets the position the commit's first appended record received (<see cref="Head"/> + 1 when it appended none).</summary>
    public long FirstPosition { get; }

    /// <summary>Gets the document's head after the commit: the position of its last record ever appended.</summary>
    public long Head { get; }

    /// <summary>Gets the number of records the commit appended.</summary>
    public long AppendedCount => Head - FirstPosition + 1;
}
