using System;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication.Storage;

/// <summary>
/// Follows one document of a shared <see cref="IDocumentStore"/> from a cursor: on every <see cref="IDocumentChangeFeed"/>
/// signal, every Resync and every <see cref="DocumentLogFollowerOptions.PollInterval"/>, it reads the log after its
/// cursor and hands the new records, in position order, to a callback; when compaction dropped records it has not
/// read, it loads the whole document (snapshot and retained records) and hands that over instead. How a server node
/// sees the commits other nodes made to a document it hosts.
/// </summary>
/// <remarks>
/// <para><b>Guarantees.</b> Each record reaches <c>onRecords</c> once, in ascending position order, and the cursor
/// advances only after the callback returned; signals only wake the reader, so lost or repeated signals delay but never
/// lose or duplicate a record. A store failure is retried after <see cref="DocumentLogFollowerOptions.RetryDelay"/>
/// (counted in <see cref="StoreFailures"/>) without moving the cursor. An exception from a callback stops the follower:
/// <see cref="Completion"/> faults with it.</para>
/// <para><b>Threading.</b> The callbacks run one at a time on the follower's loop, never concurrently. The members of
/// this class are thread-safe. Memory: at most one batch of records at a time.</para>
/// </remarks>
[Mutable]
public sealed class DocumentLogFollower : IAsyncDisposable
{
    private readonly IDocumentStore _store;
    private readonly string _document;
    private readonly Func<ImmutableArray<LogRecord>, CancellationToken, ValueTask> _onRecords;
    private readonly Func<StoredDocument, CancellationToken, ValueTask> _onReload;
    private readonly DocumentLogFollowerOptions _options;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly IDisposable _subscription;
    private readonly Task _loop;
    private long _cursor;
    private long _signals;
    private long _reads;
    private long _reloads;
    private long _storeFailures;

    /// <summary>Starts following <paramref name="document"/> after <paramref name="cursor"/>; the first read happens at once.</summary>
    /// <param name="store">The store to read.</param>
    /// <param name="feed">The signals that wake the reader.</param>
    /// <param name="document">The document.</param>
    /// <param name="cursor">The last position already processed (0: from the beginning).</param>
    /// <param name="onRecords">Receives new records, ascending, never empty.</param>
    /// <param name="onReload">Receives the whole document when records after the cursor were compacted away; the cursor then moves to its head.</param>
    /// <param name="options">Settings, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="document"/> is not a valid name, or an option is out of range.</exception>
    public DocumentLogFollower(
        IDocumentStore store,
        IDocumentChangeFeed feed,
        string document,
        long cursor,
        Func<ImmutableArray<LogRecord>, CancellationToken, ValueTask> onRecords,
        Func<StoredDocument, CancellationToken, ValueTask> onReload,
        DocumentLogFollowerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(feed);
        DocumentCommit.ThrowIfInvalidName(document, nameof(document));
        ArgumentOutOfRangeException.ThrowIfNegative(cursor);
        ArgumentNullException.ThrowIfNull(onRecords);
        ArgumentNullException.ThrowIfNull(onReload);
        _options = options ?? new DocumentLogFollowerOptions();
        _options.Validate();
        _store = store;
        _document = document;
        _cursor = cursor;
        _onRecords = onRecords;
        _onReload = onReload;
        _subscription = feed.Subscribe(document, OnChange);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Gets the document followed.</summary>
    public string Document => _document;

    /// <summary>Gets the last position handed to a callback (or the starting cursor).</summary>
    public long Cursor => Interlocked.Read(ref _cursor);

    /// <summary>Gets the number of feed signals that woke the reader.</summary>
    public long Signals => Interlocked.Read(ref _signals);

    /// <summary>Gets the number of log reads made.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>Gets the number of whole-document reloads (records after the cursor had been compacted away).</summary>
    public long Reloads => Interlocked.Read(ref _reloads);

    /// <summary>Gets the number of store failures retried.</summary>
    public long StoreFailures => Interlocked.Read(ref _storeFailures);

    /// <summary>Gets a task that completes when the follower stops: successfully after disposal, faulted when a callback threw.</summary>
    public Task Completion => _loop;

    /// <summary>Asks for a re-read now (for example after the caller learned of a commit by other means).</summary>
    public void Poke() => _wake.Writer.TryWrite(true);

    /// <summary>Stops following and waits for the loop (a callback in progress finishes first). Idempotent.</summary>
    /// <returns>A task that completes when the loop has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
#pragma warning disable CA1031 // A callback's failure was reported through Completion; disposal does not rethrow it.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        _stop.Dispose();
    }

    private void OnChange(DocumentChange change)
    {
        if (change.Kind == DocumentChangeKind.Committed && change.Head <= Cursor)
        {
            return;
        }

        Interlocked.Increment(ref _signals);
        _wake.Writer.TryWrite(true);
    }

    private async Task RunAsync()
    {
        CancellationToken stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            bool caughtUp;
            try
            {
                caughtUp = await CatchUpAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }

            if (!caughtUp)
            {
                await DelayAsync(_options.RetryDelay, stop).ConfigureAwait(false);
                continue;
            }

            await WaitForSignalAsync(stop).ConfigureAwait(false);
        }
    }

    // Reads until the log is exhausted; false when the store failed (the caller retries after a delay).
    private async Task<bool> CatchUpAsync(CancellationToken stop)
    {
        while (true)
        {
            long cursor = Cursor;
            LogSlice slice;
            try
            {
                Interlocked.Increment(ref _reads);
                slice = await _store.ReadLogAsync(_document, cursor, _options.BatchSize, stop).ConfigureAwait(false);
                if (slice.Start > cursor + 1 && slice.Head > cursor)
                {
                    StoredDocument whole = await _store.LoadAsync(_document, stop).ConfigureAwait(false);
                    Interlocked.Increment(ref _reloads);
                    await _onReload(whole, stop).ConfigureAwait(false);
                    Interlocked.Exchange(ref _cursor, Math.Max(cursor, whole.Head));
                    continue;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (IsStoreFailure(ex))
            {
                Interlocked.Increment(ref _storeFailures);
                return false;
            }

            if (slice.Records.IsEmpty)
            {
                return true;
            }

            await _onRecords(slice.Records, stop).ConfigureAwait(false);
            Interlocked.Exchange(ref _cursor, slice.Records[^1].Position);
            if (slice.Records.Length < _options.BatchSize)
            {
                return true;
            }
        }
    }

    // Store calls fail with the store's exceptions; a driver may also surface timeouts and socket errors directly.
    private static bool IsStoreFailure(Exception ex) => ex is DocumentStoreException or TimeoutException or System.IO.IOException or InvalidOperationException or System.Net.Sockets.SocketException;

    private async Task WaitForSignalAsync(CancellationToken stop)
    {
        using CancellationTokenSource timeout = _options.PollInterval == Timeout.InfiniteTimeSpan
            ? new CancellationTokenSource()
            : new CancellationTokenSource(_options.PollInterval, _options.TimeProvider);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop, timeout.Token);
        try
        {
            if (await _wake.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false))
            {
                _wake.Reader.TryRead(out _);
            }
        }
        catch (OperationCanceledException)
        {
            // The poll interval elapsed (re-read anyway) or the follower stops (the loop sees it).
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, _options.TimeProvider, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
