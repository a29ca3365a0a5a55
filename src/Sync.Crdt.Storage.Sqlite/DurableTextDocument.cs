using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Text;

namespace Sync.Crdt.Storage.Sqlite;

/// <summary>
/// A collaboratively edited <see cref="TextDocument"/> kept in one document of an <see cref="IDocumentStore"/> (the
/// SQLite store or any other): every update, local or received, is appended to the log and acknowledged only once
/// committed; the log is compacted into the encoded state.
/// </summary>
/// <remarks>
/// <para><b>Acknowledged means durable.</b> <see cref="InsertAsync"/>, <see cref="DeleteAsync"/> and
/// <see cref="ApplyUpdateAsync"/> change the text in memory at once (reads see it) and complete only after the update is
/// committed. Ship a local update, or acknowledge a received one, after its task completes.</para>
/// <para><b>Group commit.</b> While one commit is in flight, further updates queue and go into the next commit together.</para>
/// <para><b>Compaction.</b> When the updates logged since the last snapshot outgrow the encoded state (and 64 KiB), the
/// next commit writes <see cref="TextDocument.EncodeStateAsUpdate"/> as the snapshot and drops every record, in one
/// transaction; not while updates wait for missing dependencies (they are not part of the encoded state yet). Opening
/// applies the snapshot, then the records after it.</para>
/// <para><b>A fresh incarnation on every open.</b> Each open edits under <c>name#incarnation.random</c>, so a database
/// restored from an old copy never reissues item ids other replicas already hold.</para>
/// <para><b>Failures.</b> When a commit fails, every update not yet committed faults with the store's
/// <see cref="DocumentStoreException"/> and the document is reloaded from the store: the text equals the committed one.</para>
/// <para><b>Thread safety.</b> Every member is thread-safe (a lock serializes access to the document).</para>
/// </remarks>
[Mutable]
public sealed class DurableTextDocument : IAsyncDisposable
{
    private const string IncarnationKey = "text/incarnation";
    private const long MinCompactionBytes = 64 * 1024;
    private readonly SemaphoreSlim _mutex = new(1, 1);
    private readonly IDocumentStore _store;
    private TextDocument _document;
    private Batch _open = new();
    private Batch? _inFlight;
    private long _head;
    private long _retainedRecords;
    private long _bytesSinceSnapshot;
    private long _stateBytes;
    private bool _closed;

    private DurableTextDocument(IDocumentStore store, string name, TextDocument document)
    {
        _store = store;
        Name = name;
        _document = document;
    }

    /// <summary>Gets the store document's name.</summary>
    public string Name { get; }

    /// <summary>Gets this incarnation's replica id.</summary>
    public ReplicaId Replica => _document.Replica;

    /// <summary>Gets the store's head for this document after the last successful commit.</summary>
    public long CommittedHead => Interlocked.Read(ref _head);

    /// <summary>
    /// Opens (or creates) the text kept in <paramref name="document"/>: applies the snapshot and the logged updates, and
    /// commits a new incarnation before returning. O(state + log).
    /// </summary>
    /// <param name="store">The store (not owned: dispose it after this document).</param>
    /// <param name="document">The store document's name.</param>
    /// <param name="name">The replica's stable name (at most 208 characters).</param>
    /// <param name="cancellationToken">Cancels the open before anything is written.</param>
    /// <returns>The open document.</returns>
    /// <exception cref="ArgumentException">A name is invalid.</exception>
    /// <exception cref="DocumentStoreException">The store failed or the document does not hold valid text updates.</exception>
    public static async Task<DurableTextDocument> OpenAsync(IDocumentStore store, string document, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        DocumentCommit.ThrowIfInvalidName(document, nameof(document));
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > ReplicaId.MaxLength - 48)
        {
            throw new ArgumentException($"A replica name has at most {ReplicaId.MaxLength - 48} characters.", nameof(name));
        }

        StoredDocument stored = await store.LoadAsync(document, cancellationToken).ConfigureAwait(false);
        long incarnation = stored.Metadata.TryGetValue(IncarnationKey, out ReadOnlyMemory<byte> bytes) && bytes.Length == 8 ? BinaryPrimitives.ReadInt64LittleEndian(bytes.Span) + 1 : 1;
        Span<byte> random = stackalloc byte[8];
        RandomNumberGenerator.Fill(random);
        var id = new ReplicaId(string.Create(CultureInfo.InvariantCulture, $"{name}#{incarnation}.{Convert.ToHexStringLower(random)}"));
        var text = new DurableTextDocument(store, document, Restore(stored, id));
        text.Adopt(stored);
        cancellationToken.ThrowIfCancellationRequested();
        byte[] counter = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(counter, incarnation);
        CommitResult result = await store.CommitAsync(new DocumentCommit(document) { ExpectedHead = stored.Head, SetMetadata = [new(IncarnationKey, counter)] }, CancellationToken.None).ConfigureAwait(false);
        text._head = result.Head;
        return text;
    }

    /// <summary>Returns the current text (including updates whose commit is in flight). O(n).</summary>
    /// <returns>The text.</returns>
    public async Task<string> GetTextAsync()
    {
        await _mutex.WaitAsync().ConfigureAwait(false);
        try
        {
            return _document.ToString();
        }
        finally
        {
            _mutex.Release();
        }
    }

    /// <summary>Returns the state vector (for a peer to compute what this replica lacks).</summary>
    /// <returns>The state vector.</returns>
    public async Task<VersionVector> GetStateVectorAsync()
    {
        await _mutex.WaitAsync().ConfigureAwait(false);
        try
        {
            return _document.StateVector;
        }
        finally
        {
            _mutex.Release();
        }
    }

    /// <summary>Encodes what a peer with <paramref name="peerState"/> lacks (the whole state for <see langword="null"/>); committed or in-flight updates alike, so wait for <see cref="FlushAsync"/> first when the answer acknowledges.</summary>
    /// <param name="peerState">The peer's state vector.</param>
    /// <returns>The update.</returns>
    public async Task<TextUpdate> EncodeStateAsUpdateAsync(VersionVector? peerState = null)
    {
        await _mutex.WaitAsync().ConfigureAwait(false);
        try
        {
            return _document.EncodeStateAsUpdate(peerState);
        }
        finally
        {
            _mutex.Release();
        }
    }

    /// <summary>Inserts <paramref name="text"/> at <paramref name="index"/>; completes once the update is committed.</summary>
    /// <param name="index">The UTF-16 index.</param>
    /// <param name="text">The text.</param>
    /// <param name="cancellationToken">Cancels waiting for the lock.</param>
    /// <returns>The update to ship to other replicas.</returns>
    /// <exception cref="ArgumentException">The index or text is invalid (see <see cref="TextDocument.Insert"/>); nothing changed.</exception>
    /// <exception cref="DocumentStoreException">The commit failed; the edit was rolled back.</exception>
    public Task<TextUpdate> InsertAsync(int index, string text, CancellationToken cancellationToken = default) =>
        ChangeAsync(document => document.Insert(index, text), cancellationToken);

    /// <summary>Deletes <paramref name="length"/> code units at <paramref name="index"/>; completes once the update is committed.</summary>
    /// <param name="index">The UTF-16 index.</param>
    /// <param name="length">The number of code units.</param>
    /// <param name="cancellationToken">Cancels waiting for the lock.</param>
    /// <returns>The update to ship to other replicas.</returns>
    /// <exception cref="ArgumentException">The range is invalid; nothing changed.</exception>
    /// <exception cref="DocumentStoreException">The commit failed; the edit was rolled back.</exception>
    public Task<TextUpdate> DeleteAsync(int index, int length, CancellationToken cancellationToken = default) =>
        ChangeAsync(document => document.Delete(index, length), cancellationToken);

    /// <summary>Applies an update from another replica; completes once it is committed (then acknowledge it).</summary>
    /// <param name="update">The encoded update.</param>
    /// <param name="cancellationToken">Cancels waiting for the lock.</param>
    /// <returns>A task that completes when the update is durable.</returns>
    /// <exception cref="CrdtFormatException">The update is not valid; nothing changed.</exception>
    /// <exception cref="DocumentStoreException">The commit failed; the update was rolled back.</exception>
    public Task ApplyUpdateAsync(ReadOnlyMemory<byte> update, CancellationToken cancellationToken = default) =>
        ChangeAsync(document =>
        {
            document.ApplyUpdate(update.Span);
            return TextUpdate.FromBytes(update.Span);
        }, cancellationToken);

    /// <summary>Waits until every update made so far is committed.</summary>
    /// <returns>A task that completes when everything so far is durable.</returns>
    public async Task FlushAsync()
    {
        Task done;
        await _mutex.WaitAsync().ConfigureAwait(false);
        try
        {
            done = _open.Updates.Count > 0 ? _open.Completion.Task : _inFlight?.Completion.Task ?? Task.CompletedTask;
        }
        finally
        {
            _mutex.Release();
        }

        await done.ConfigureAwait(false);
    }

    /// <summary>Waits for pending commits and closes the document (not the store). Idempotent.</summary>
    /// <returns>A task that completes when closed.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await FlushAsync().ConfigureAwait(false);
        }
        catch (DocumentStoreException)
        {
            // Reported to the callers of the failed updates.
        }

        _closed = true;
    }

    private static TextDocument Restore(StoredDocument stored, ReplicaId id)
    {
        var document = new TextDocument(id);
        try
        {
            if (stored.Snapshot is { } snapshot)
            {
                document.ApplyUpdate(snapshot.Payload.Span);
            }

            foreach (LogRecord record in stored.Records)
            {
                if (stored.Snapshot is null || record.Position > stored.Snapshot.Position)
                {
                    document.ApplyUpdate(record.Payload.Span);
                }
            }
        }
        catch (CrdtFormatException ex)
        {
            throw new DocumentStoreException($"Document '{stored.Name}' does not hold valid text updates: {ex.Message}", ex);
        }

        return document;
    }

    private void Adopt(StoredDocument stored)
    {
        _head = stored.Head;
        _retainedRecords = stored.Records.Length;
        _stateBytes = stored.Snapshot?.Payload.Length ?? 0;
        _bytesSinceSnapshot = 0;
        foreach (LogRecord record in stored.Records)
        {
            _bytesSinceSnapshot += record.Payload.Length;
        }
    }

    private async Task<TextUpdate> ChangeAsync(Func<TextDocument, TextUpdate> change, CancellationToken cancellationToken)
    {
        TextUpdate update;
        Task done;
        await _mutex.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            update = change(_document);
            if (update.Length > 0)
            {
                _open.Updates.Add(update.ToArray());
            }

            done = _open.Updates.Count > 0 ? _open.Completion.Task : _inFlight?.Completion.Task ?? Task.CompletedTask;
            StartCommitIfIdle();
        }
        finally
        {
            _mutex.Release();
        }

        await done.ConfigureAwait(false);
        return update;
    }

    /// <summary>Hands the open batch to the store unless a commit is in flight. Called under the mutex.</summary>
    private void StartCommitIfIdle()
    {
        if (_inFlight is not null || _open.Updates.Count == 0)
        {
            return;
        }

        Batch batch = _open;
        _open = new Batch();
        _inFlight = batch;
        long appended = 0;
        foreach (byte[] payload in batch.Updates)
        {
            appended += payload.Length;
        }

        long newHead = _head + batch.Updates.Count;
        bool compact = !_document.HasPendingUpdates && _bytesSinceSnapshot + appended > Math.Max(_stateBytes, MinCompactionBytes);
        var commit = new DocumentCommit(Name)
        {
            ExpectedHead = _head,
            Appends = [.. batch.Updates.ConvertAll(static p => (ReadOnlyMemory<byte>)p)],
            Snapshot = compact ? new StoredSnapshot(newHead, _document.EncodeStateAsUpdate().ToArray()) : null,
            TruncateThrough = compact ? newHead : null,
        };
        _ = RunCommitAsync(batch, commit, appended);
    }

    private async Task RunCommitAsync(Batch batch, DocumentCommit commit, long appended)
    {
        CommitResult result;
        try
        {
            result = await _store.CommitAsync(commit, CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Reported to every waiting caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await FailAsync(batch, ex).ConfigureAwait(false);
            return;
        }

        await _mutex.WaitAsync().ConfigureAwait(false);
        try
        {
            Interlocked.Exchange(ref _head, result.Head);
            if (commit.Snapshot is { } snapshot)
            {
                _stateBytes = snapshot.Payload.Length;
                _bytesSinceSnapshot = 0;
                _retainedRecords = 0;
            }
            else
            {
                _bytesSinceSnapshot += appended;
                _retainedRecords += batch.Updates.Count;
            }

            _inFlight = null;
            StartCommitIfIdle();
        }
        finally
        {
            _mutex.Release();
        }

        batch.Completion.TrySetResult();
    }

    private async Task FailAsync(Batch batch, Exception error)
    {
        await _mutex.WaitAsync().ConfigureAwait(false);
        Batch queued = _open;
        _open = new Batch();
        _inFlight = null;
        try
        {
            StoredDocument stored = await _store.LoadAsync(Name).ConfigureAwait(false);
            _document = Restore(stored, _document.Replica);
            Adopt(stored);
        }
#pragma warning disable CA1031 // The document cannot continue: closed.
        catch (Exception)
#pragma warning restore CA1031
        {
            _closed = true;
        }
        finally
        {
            _mutex.Release();
        }

        batch.Completion.TrySetException(error);
        queued.Completion.TrySetException(new DocumentStoreException($"An update to '{Name}' was rolled back because an earlier commit failed: {error.Message}", error));
    }

    private sealed class Batch
    {
        internal List<byte[]> Updates { get; } = [];

        internal TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
