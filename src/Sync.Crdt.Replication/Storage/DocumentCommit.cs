using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication.Storage;

/// <summary>
/// One atomic change to one document of an <see cref="IDocumentStore"/>: records to append, metadata to set or remove,
/// optionally a new snapshot and a truncation of the log, optionally guarded by the head the writer expects.
/// </summary>
/// <remarks>
/// <para>Apply order inside the commit: the precondition (<see cref="ExpectedHead"/>) is checked, the records are appended
/// (receiving positions head + 1, head + 2, ...), the metadata is written, the snapshot replaces the previous one, and
/// records at or before <see cref="TruncateThrough"/> are dropped. A snapshot's position may name a record appended by the
/// same commit; that is how a writer compacts: append the last entries, write the state through them, drop what the
/// state covers, in one transaction.</para>
/// <para>Immutable once built; the store keeps the payload memory it is given, so do not change the arrays afterwards.
/// Thread-safe.</para>
/// </remarks>
[Immutable]
public sealed class DocumentCommit
{
    /// <summary>The longest document name, in UTF-16 code units.</summary>
    public const int MaxDocumentNameLength = 1024;

    /// <summary>The longest metadata key, in UTF-16 code units.</summary>
    public const int MaxMetadataKeyLength = 256;

    /// <summary>Creates a commit to <paramref name="document"/>; set what it does with the init-only properties.</summary>
    /// <param name="document">The document's name (see <see cref="ThrowIfInvalidName"/>).</param>
    /// <exception cref="ArgumentException"><paramref name="document"/> is not a valid document name.</exception>
    public DocumentCommit(string document)
    {
        ThrowIfInvalidName(document, nameof(document));
        Document = document;
    }

    /// <summary>Gets the document's name.</summary>
    public string Document { get; }

    /// <summary>Gets the records to append, in order.</summary>
    public ImmutableArray<ReadOnlyMemory<byte>> Appends { get; init; } = [];

    /// <summary>Gets the metadata values to set (a key may appear once; values should be small: they are read with every load).</summary>
    public ImmutableArray<KeyValuePair<string, ReadOnlyMemory<byte>>> SetMetadata { get; init; } = [];

    /// <summary>Gets the metadata keys to remove (absent keys are ignored).</summary>
    public ImmutableArray<string> RemoveMetadata { get; init; } = [];

    /// <summary>Gets the snapshot replacing the document's current one, or <see langword="null"/> to keep it.</summary>
    public StoredSnapshot? Snapshot { get; init; }

    /// <summary>Gets the position through which records are dropped (every record at or before it), or <see langword="null"/> to drop none.</summary>
    public long? TruncateThrough { get; init; }

    /// <summary>
    /// Gets the head the writer expects the document to have before this commit, or <see langword="null"/> for no check. A
    /// single writer passes the head its last commit returned, so a second writer on the same document is detected
    /// (<see cref="DocumentConflictException"/>) instead of interleaving with it.
    /// </summary>
    public long? ExpectedHead { get; init; }

    /// <summary>Gets a value indicating whether the commit does nothing.</summary>
    public bool IsEmpty => Appends.IsDefaultOrEmpty && SetMetadata.IsDefaultOrEmpty && RemoveMetadata.IsDefaultOrEmpty && Snapshot is null && TruncateThrough is null;

    /// <summary>
    /// Checks the commit against the document as stored and returns the head after it. Every store calls this inside its
    /// transaction, before writing anything, so every store enforces the same rules. O(appends + metadata).
    /// </summary>
    /// <param name="head">The document's current head (0 when it does not exist).</param>
    /// <param name="snapshotPosition">The current snapshot's position, or <see langword="null"/> when it has none.</param>
    /// <returns>The head after the commit's appends.</returns>
    /// <exception cref="DocumentConflictException">
    /// <see cref="ExpectedHead"/> differs from <paramref name="head"/>; the snapshot's position is below the current
    /// snapshot's or beyond the new head; the truncation position is negative or drops a record no snapshot covers; a
    /// metadata key is invalid or repeated.
    /// </exception>
    public long Verify(long head, long? snapshotPosition)
    {
        if (ExpectedHead is { } expected && expected != head)
        {
            throw new DocumentConflictException($"Document '{Document}' has head {head}, but the commit expected {expected}: another writer appended to it.");
        }

        long newHead = head + (Appends.IsDefault ? 0 : Appends.Length);
        long? covered = snapshotPosition;
        if (Snapshot is not null)
        {
            if (Snapshot.Position > newHead)
            {
                throw new DocumentConflictException($"A snapshot through position {Snapshot.Position} of document '{Document}' is beyond its head after the commit ({newHead}).");
            }

            if (snapshotPosition is { } current && Snapshot.Position < current)
            {
                throw new DocumentConflictException($"A snapshot through position {Snapshot.Position} of document '{Document}' is older than its current snapshot (through {current}).");
            }

            covered = Snapshot.Position;
        }

        if (TruncateThrough is { } truncate && (truncate < 0 || truncate > (covered ?? 0)))
        {
            throw new DocumentConflictException($"Truncating document '{Document}' through position {truncate} would drop records its snapshot (through {(covered is null ? "none" : covered.Value.ToString(System.Globalization.CultureInfo.InvariantCulture))}) does not cover.");
        }

        ThrowIfInvalidMetadata();
        return newHead;
    }

    /// <summary>
    /// Throws unless <paramref name="name"/> is a valid document name: non-empty, at most <see cref="MaxDocumentNameLength"/>
    /// UTF-16 code units, well-formed (no unpaired surrogate) and without the NUL character, so every store can keep it as text.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <param name="paramName">The parameter name for the exception.</param>
    /// <exception cref="ArgumentException">The name is invalid.</exception>
    public static void ThrowIfInvalidName(string name, string paramName)
    {
        ArgumentNullException.ThrowIfNull(name, paramName);
        if (!IsValidText(name, MaxDocumentNameLength))
        {
            throw new ArgumentException($"A document name must be 1 to {MaxDocumentNameLength} UTF-16 code units of well-formed text without NUL.", paramName);
        }
    }

    /// <summary>Returns a short description for logs.</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"Commit to '{Document}': {(Appends.IsDefault ? 0 : Appends.Length)} append(s), {(SetMetadata.IsDefault ? 0 : SetMetadata.Length)} metadata write(s){(Snapshot is null ? string.Empty : ", " + Snapshot)}{(TruncateThrough is null ? string.Empty : $", truncate through {TruncateThrough}")}";

    private static bool IsValidText(string text, int maxLength) =>
        text.Length is > 0 && text.Length <= maxLength && !text.Contains('\0', StringComparison.Ordinal) && IsWellFormed(text);

    private static bool IsWellFormed(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private void ThrowIfInvalidMetadata()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (KeyValuePair<string, ReadOnlyMemory<byte>> entry in SetMetadata.IsDefault ? [] : SetMetadata)
        {
            if (entry.Key is null || !IsValidText(entry.Key, MaxMetadataKeyLength) || !seen.Add(entry.Key))
            {
                throw new DocumentConflictException($"Metadata key '{entry.Key}' of a commit to '{Document}' is invalid or repeated (1 to {MaxMetadataKeyLength} code units of well-formed text, once per commit).");
            }
        }

        foreach (string key in RemoveMetadata.IsDefault ? [] : RemoveMetadata)
        {
            if (key is null || seen.Contains(key))
            {
                throw new DocumentConflictException($"Metadata key '{key}' of a commit to '{Document}' is both set and removed, or null.");
            }
        }
    }
}
