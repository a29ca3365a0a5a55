using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Sync.Crdt.Annotations;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Sqlite;

/// <summary>
/// An <see cref="IDocumentStore"/> in one SQLite database file: write-ahead logging, a single writer thread with group
/// commit, readers on their own connections. A commit's task completes only after its transaction committed, to the
/// level <see cref="SqliteDocumentStoreOptions.Durability"/> states (by default it survives a power loss).
/// </summary>
/// <remarks>
/// <para><b>Files.</b> The database (<see cref="Path"/>), its <c>-wal</c> and <c>-shm</c> files (SQLite's write-ahead log), and
/// <c>Path + ".lock"</c>: an exclusive operating-system lock held while the store is open. A second
/// <see cref="Open"/> of the same database, from this process or another, fails at once with a
/// <see cref="DocumentStoreException"/> instead of waiting for SQLite's busy timeout. The lock dies with the
/// process, so a killed writer never leaves the store locked.</para>
/// <para><b>Identity checks.</b> Before SQLite touches an existing file, the store checks that it is an SQLite database
/// whose <c>application_id</c> is Sync.Crdt's and whose schema version it reads (or an empty database it may
/// initialize); otherwise it throws <see cref="DocumentStoreException"/> and never writes to the file.</para>
/// <para><b>Group commit.</b> Every <see cref="CommitAsync"/> is queued to one writer thread; the writer takes everything
/// queued (up to <see cref="SqliteDocumentStoreOptions.MaxCommitsPerTransaction"/>) and writes it in one transaction, each
/// commit in its own savepoint, so a commit refused with <see cref="DocumentConflictException"/> does not affect the
/// others. Under load one disk sync serves many commits; alone, a commit costs one transaction. If the transaction fails
/// (I/O error, full disk, read-only database, closed connection) every commit in it faults with a
/// <see cref="DocumentStoreException"/> and none was applied. Commits are written in the order their calls were made.</para>
/// <para><b>Reads</b> run on the calling thread, each on a read connection of its own (taken from a small pool), inside one
/// read transaction, so a load sees one committed point and never waits for the writer.</para>
/// <para><b>Thread safety.</b> Every member is thread-safe.</para>
/// </remarks>
[Mutable]
public sealed class SqliteDocumentStore : IDocumentStore
{
    private readonly FileStream _lock;
    private readonly SqliteConnection _writeConnection;
    private readonly CommitWriter _writer;
    private readonly ReaderPool _readers;
    private int _disposed;

    private SqliteDocumentStore(string path, SqliteDocumentStoreOptions options, FileStream fileLock, SqliteConnection writeConnection)
    {
        Path = path;
        Options = options;
        _lock = fileLock;
        _writeConnection = writeConnection;
        _writer = new CommitWriter(writeConnection, options.MaxCommitsPerTransaction, System.IO.Path.GetFileName(path));
        _readers = new ReaderPool(path, options.Durability);
    }

    /// <summary>Gets the database file's full path.</summary>
    public string Path { get; }

    /// <summary>Gets the store's settings.</summary>
    public SqliteDocumentStoreOptions Options { get; }

    /// <summary>Gets the number of SQLite transactions the writer has committed (fewer than the commits when group commit batched them).</summary>
    public long TransactionCount => _writer.TransactionCount;

    /// <summary>
    /// Opens the store in <paramref name="path"/>, creating the file when it does not exist. O(1): nothing is read until a
    /// document is loaded (SQLite replays its write-ahead log after a crash).
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="options">Settings; <see cref="SqliteDocumentStoreOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns>The open store; dispose it to release the file.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="DocumentStoreException">The store is open elsewhere (this or another process); the file is not a
    /// Sync.Crdt store (another application's database, not a database, a corrupt header, a newer schema), in which case
    /// it was left untouched; or the file cannot be opened.</exception>
    public static SqliteDocumentStore Open(string path, SqliteDocumentStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= SqliteDocumentStoreOptions.Default;
        options.Validate();
        string fullPath = System.IO.Path.GetFullPath(path);
        FileStream fileLock = StoreFile.AcquireLock(fullPath);
        SqliteConnection? connection = null;
        try
        {
            StoreFile.CheckHeader(fullPath);
            connection = StoreFile.OpenConnection(fullPath, SqliteOpenMode.ReadWriteCreate, options.Durability);
            StoreFile.InitializeSchema(connection, fullPath);
            return new SqliteDocumentStore(fullPath, options, fileLock, connection);
        }
        catch (Exception ex)
        {
            connection?.Dispose();
            fileLock.Dispose();
            if (ex is SqliteException sqlite)
            {
                throw new DocumentStoreException($"The store '{fullPath}' cannot be opened: {sqlite.Message}", sqlite);
            }

            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask<StoredDocument> LoadAsync(string document, CancellationToken cancellationToken = default)
    {
        DocumentCommit.ThrowIfInvalidName(document, nameof(document));
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        return ValueTask.FromResult(_readers.Read(static (connection, transaction, name) => DocumentReader.Load(connection, transaction, name), document));
    }

    /// <inheritdoc />
    public ValueTask<LogSlice> ReadLogAsync(string document, long afterPosition, int maxRecords, CancellationToken cancellationToken = default)
    {
        DocumentCommit.ThrowIfInvalidName(document, nameof(document));
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        return ValueTask.FromResult(_readers.Read(static (connection, transaction, request) => DocumentReader.ReadLog(connection, transaction, request.document, request.afterPosition, request.maxRecords), (document, afterPosition, maxRecords)));
    }

    /// <inheritdoc />
    public Task<CommitResult> CommitAsync(DocumentCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<CommitResult>(cancellationToken);
        }

        return Volatile.Read(ref _disposed) != 0
            ? Task.FromException<CommitResult>(new ObjectDisposedException(nameof(SqliteDocumentStore)))
            : _writer.Enqueue(commit);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListDocumentsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        return ValueTask.FromResult(_readers.Read(static (connection, transaction, _) => DocumentReader.List(connection, transaction), 0));
    }

    /// <summary>
    /// Closes the store: commits already queued are written (their tasks complete), later calls throw
    /// <see cref="ObjectDisposedException"/>, the connections close and the lock is released. Idempotent.
    /// </summary>
    /// <returns>A task that completes when the store is closed.</returns>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return ValueTask.CompletedTask;
        }

        _writer.Close();
        _readers.Dispose();
        _writeConnection.Dispose();
        _lock.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Runs <paramref name="action"/> on the writer's connection between transactions (fault injection in tests).</summary>
    internal Task RunOnWriterAsync(Action<SqliteConnection> action) => _writer.RunOnWriter(action);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
}
