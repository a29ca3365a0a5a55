using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Sync.Crdt.Replication.Storage;

/// <summary>
/// Durable storage for replicated documents: per document, an append-only log of opaque records, at most one snapshot
/// (the document's state through some log position) and a few small metadata values. Implementations: the in-memory
/// <see cref="InMemoryDocumentStore"/> (tests), the embedded SQLite store, a server's database store.
/// </summary>
/// <remarks>
/// <para><b>Documents.</b> A document is named by a non-empty string (at most <see cref="DocumentCommit.MaxDocumentNameLength"/>
/// UTF-16 code units). An unknown document reads as empty (head 0, no snapshot, no records, no metadata); it comes into
/// existence with its first commit. What the payloads mean is the writer's business (a replicator's serialized
/// <see cref="DeltaLogEntry"/>s and <see cref="ReplicatorSnapshot"/>s, a text document's updates, an OT server's
/// operations): the store never looks inside them.</para>
/// <para><b>Positions.</b> The store numbers each document's records 1, 2, 3, ... in commit order. A position is
/// never reused, also after the records before it were dropped by compaction, so a cursor (a position some reader
/// has processed up to) stays meaningful forever. The <i>head</i> is the position of the last record ever appended
/// (0 before the first).</para>
/// <para><b>Commits.</b> <see cref="CommitAsync"/> applies one <see cref="DocumentCommit"/> atomically: its appends, its
/// metadata writes, its snapshot and its truncation all happen, or none does. When the returned task completes
/// successfully the commit is durable to the store's stated level (the SQLite store: survives a process kill, and with
/// its default settings also power loss); a caller may then acknowledge it to anyone. When the task faults, nothing
/// of the commit was applied. Commits to one document apply in the order their <see cref="CommitAsync"/> calls were
/// made by one caller; a caller that needs the order across threads serializes its calls (a single writer per
/// document, the natural shape). Commits to different documents are independent; a store may group concurrent
/// commits into one transaction (group commit) as long as each keeps these guarantees.</para>
/// <para><b>Snapshots and compaction.</b> A commit may carry a <see cref="StoredSnapshot"/> (replacing the previous
/// one) and a truncation position: records at or before it are dropped. The rules, checked by every store through
/// <see cref="DocumentCommit.Verify"/>: the snapshot's position lies between the previous snapshot's and the head after
/// the commit's appends, and a truncation never drops a record the (new or existing) snapshot does not cover. So
/// loading always finds the snapshot plus every record after it; records the snapshot covers may remain (a writer
/// keeps them while some reader still needs them, e.g. as a replicator's delta buffer).</para>
/// <para><b>Reading.</b> <see cref="LoadAsync"/> returns the whole stored document: snapshot, every retained record
/// and the metadata, consistent with one point in the commit order. <see cref="ReadLogAsync"/> reads records after a
/// position, for cursors that follow a document another writer appends to.</para>
/// <para><b>Errors.</b> A store failure (I/O, a full disk, a closed store, a corrupt file) surfaces as a
/// <see cref="DocumentStoreException"/> (or <see cref="ObjectDisposedException"/> after disposal), a broken
/// precondition or commit rule as a <see cref="DocumentConflictException"/>; neither applied anything.</para>
/// <para><b>Thread safety.</b> Every member of every implementation is thread-safe.</para>
/// </remarks>
public interface IDocumentStore : IAsyncDisposable
{
    /// <summary>Reads a whole document: the latest snapshot, every retained log record (ascending), the metadata and the head.</summary>
    /// <param name="document">The document's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The document; empty (head 0) when it was never written.</returns>
    /// <exception cref="ArgumentException"><paramref name="document"/> is not a valid document name.</exception>
    /// <exception cref="DocumentStoreException">The store cannot be read.</exception>
    ValueTask<StoredDocument> LoadAsync(string document, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads at most <paramref name="maxRecords"/> log records with positions greater than <paramref name="afterPosition"/>,
    /// ascending: how a cursor follows a document. When compaction dropped records the cursor has not read,
    /// <see cref="LogSlice.Start"/> exceeds <paramref name="afterPosition"/> + 1 and the reader must load the snapshot instead.
    /// </summary>
    /// <param name="document">The document's name.</param>
    /// <param name="afterPosition">The last position the reader has processed (0 for the beginning).</param>
    /// <param name="maxRecords">The most records to return (at least 1).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records, the first retained position and the head.</returns>
    /// <exception cref="ArgumentException"><paramref name="document"/> is not a valid document name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterPosition"/> is negative or <paramref name="maxRecords"/> is less than 1.</exception>
    /// <exception cref="DocumentStoreException">The store cannot be read.</exception>
    ValueTask<LogSlice> ReadLogAsync(string document, long afterPosition, int maxRecords, CancellationToken cancellationToken = default);

    /// <summary>Applies a commit atomically and durably (see the type's remarks).</summary>
    /// <param name="commit">The commit.</param>
    /// <param name="cancellationToken">Cancels waiting for room in the store's queue; once the commit is handed to a
    /// transaction it is no longer observed, so a canceled task means the commit was not applied.</param>
    /// <returns>The positions the appended records received, and the document's head after the commit.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="commit"/> is <see langword="null"/>.</exception>
    /// <exception cref="DocumentConflictException">The commit's <see cref="DocumentCommit.ExpectedHead"/> differs from the head,
    /// or its snapshot or truncation breaks the rules; nothing was applied.</exception>
    /// <exception cref="DocumentStoreException">The store failed to apply it (I/O error, full disk, closed); nothing was applied.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    Task<CommitResult> CommitAsync(DocumentCommit commit, CancellationToken cancellationToken = default);

    /// <summary>Lists the names of every document that has been committed to, sorted ordinally.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The names.</returns>
    /// <exception cref="DocumentStoreException">The store cannot be read.</exception>
    ValueTask<IReadOnlyList<string>> ListDocumentsAsync(CancellationToken cancellationToken = default);
}
