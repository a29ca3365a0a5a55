using System;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Sync.Crdt.Annotations;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Postgres;

/// <summary>
/// An <see cref="IDocumentStore"/> on PostgreSQL that several server nodes share, and the <see cref="IDocumentChangeFeed"/>
/// that tells each node about the others' commits (LISTEN/NOTIFY doorbells; the records themselves are always re-read
/// from the log). Open with <see cref="OpenAsync"/>.
/// </summary>
/// <remarks>
/// <para><b>Tables</b> (in <see cref="PostgresDocumentStoreOptions.Schema"/>, created and upgraded on open, versioned in
/// <c>schema_info</c>): <c>documents</c> (name, head, snapshot position), <c>log</c> (one row per record, primary key
/// (document, position), payload in <c>bytea</c>), <c>snapshots</c>, <c>metadata</c>, <c>nodes</c> and <c>node_cursors</c>
/// (which log rows each live node still reads). docs/scale-out.md describes them for operators.</para>
/// <para><b>Commits.</b> A commit locks its document's row (<c>SELECT ... FOR UPDATE</c>), checks the commit with
/// <see cref="DocumentCommit.Verify"/>, writes its rows and COMMITs, in two round trips; the task completes only after
/// PostgreSQL's COMMIT returned, so with the server's default <c>synchronous_commit</c> the commit is durable when
/// acknowledged. Writers of one document serialize on its row (positions stay gap-free and become visible in order,
/// so a cursor never skips one); writers of different documents run in parallel on the connection pool. The primary
/// key on (document, position) is the database's own guard against a second writer at the same position.</para>
/// <para><b>Uncertain commits.</b> If the connection breaks while COMMIT is in flight, the task faults with a
/// <see cref="DocumentStoreException"/> although PostgreSQL may have applied the commit (as with every client-server
/// database). A writer that retries should pass <see cref="DocumentCommit.ExpectedHead"/> and, on a conflict, read the
/// log to see whether its records are there; replicated deltas are idempotent, so a duplicate append is harmless to
/// convergence anyway.</para>
/// <para><b>Fan-out.</b> After a commit that appended records, subscribers in this process are signaled at once and other
/// nodes through NOTIFY (see <see cref="PostgresNotifyMode"/>). The listener uses one dedicated connection, checks it when
/// idle, reconnects with exponential backoff and jitter, and raises a Resync after every (re)connect, so readers re-read
/// whatever a dropped connection may have hidden.</para>
/// <para><b>Compaction.</b> Commit a snapshot without truncation (a short row lock), then call <see cref="PruneLogAsync"/>:
/// it deletes log rows that the snapshot and every live node's cursor cover, in batches, without taking the document's
/// lock, so writers are never blocked by it. Nodes report cursors with <see cref="SaveCursorAsync"/>; a node that stops
/// heart-beating for <see cref="PostgresDocumentStoreOptions.NodeExpiry"/> no longer pins the log.</para>
/// <para><b>Thread safety.</b> Every member is thread-safe.</para>
/// </remarks>
[Mutable]
public sealed partial class PostgresDocumentStore : IDocumentStore, IDocumentChangeFeed
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresDocumentStoreOptions _options;
    private readonly DocumentChangeDispatcher _dispatcher = new();
    private readonly PostgresNotifier? _notifier;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly string _sender;
    private readonly string _sql;
    private PostgresChangeListener? _listener;
    private Task? _heartbeat;
    private int _disposed;

    private PostgresDocumentStore(NpgsqlDataSource dataSource, PostgresDocumentStoreOptions options)
    {
        _dataSource = dataSource;
        _options = options;
        _sender = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        _sql = '"' + options.Schema + '"';
        ILogger logger = options.LoggerFactory?.CreateLogger<PostgresDocumentStore>() ?? NullLogger<PostgresDocumentStore>.Instance;
        Logger = logger;
        if (options.NotifyMode == PostgresNotifyMode.AfterCommit)
        {
            _notifier = new PostgresNotifier(dataSource, options.Channel, logger);
        }
    }

    /// <summary>Gets the settings the store was opened with.</summary>
    public PostgresDocumentStoreOptions Options => _options;

    /// <summary>Gets the change listener's counters (connections made, failures, doorbells received); zero until the first <see cref="Subscribe"/>.</summary>
    public PostgresListenerStatistics ListenerStatistics => _listener?.Statistics ?? default;

    /// <summary>Gets the number of after-commit doorbells that could not be sent (readers still find the commits by re-reading).</summary>
    public long NotifyFailures => _notifier?.Failures ?? 0;

    private ILogger Logger { get; }

    /// <summary>Opens a store: connects, creates or upgrades the schema, and checks its version.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="cancellationToken">Cancels opening.</param>
    /// <returns>The open store; dispose it to close its connections.</returns>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="DocumentStoreException">PostgreSQL cannot be reached, or the schema was written by a newer version.</exception>
    public static async Task<PostgresDocumentStore> OpenAsync(PostgresDocumentStoreOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        NpgsqlDataSource dataSource;
        try
        {
            dataSource = new NpgsqlDataSourceBuilder(options.ConnectionString).Build();
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The connection string is invalid: {ex.Message}", nameof(options), ex);
        }

        try
        {
            await PostgresSchema.EnsureAsync(dataSource, options.Schema, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgresErrors.IsDriverFailure(ex) || ex is DocumentStoreException)
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw ex as DocumentStoreException ?? PostgresErrors.Translate(ex, "opening the store", null);
        }

        return new PostgresDocumentStore(dataSource, options);
    }

    /// <inheritdoc />
    /// <remarks>The first subscription starts the listener (one dedicated connection per store).</remarks>
    public IDisposable Subscribe(string document, Action<DocumentChange> onChange)
    {
        ThrowIfDisposed();
        IDisposable subscription = _dispatcher.Subscribe(document, onChange);
        lock (_gate)
        {
            _listener ??= new PostgresChangeListener(_options, _dispatcher, _sender, Logger);
        }

        return subscription;
    }

    /// <summary>Waits until the change listener is connected and listening (starting it when needed): useful before a test or a benchmark measures propagation.</summary>
    /// <param name="cancellationToken">Cancels waiting.</param>
    /// <returns>A task that completes once the listener is listening.</returns>
    public Task WaitForListenerAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        PostgresChangeListener listener;
        lock (_gate)
        {
            listener = _listener ??= new PostgresChangeListener(_options, _dispatcher, _sender, Logger);
        }

        return listener.WaitListeningAsync(cancellationToken);
    }

    /// <summary>Stops the listener, the heartbeat and the doorbell sender (sending what is queued), and closes the connections.</summary>
    /// <returns>A task that completes when everything is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        PostgresChangeListener? listener;
        lock (_gate)
        {
            listener = _listener;
        }

        if (listener is not null)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        if (_notifier is not null)
        {
            await _notifier.DisposeAsync().ConfigureAwait(false);
        }

        if (_heartbeat is not null)
        {
            try
            {
                await _heartbeat.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _dispatcher.Dispose();
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private void Signal(string document, long head)
    {
        _dispatcher.Publish(DocumentChange.Committed(document, head));
        _notifier?.Enqueue(PostgresDoorbell.Format(_sender, head, document));
    }
}
