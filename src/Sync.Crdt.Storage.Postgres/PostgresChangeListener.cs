using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Npgsql;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Postgres;

/// <summary>
/// One dedicated connection that LISTENs for doorbells and publishes them to a dispatcher. When idle for the health-check
/// interval it runs <c>SELECT 1</c> with a timeout, so a silent network or a stopped server is noticed; any failure
/// closes the connection and reconnects after an exponential, jittered backoff. After every successful LISTEN it
/// publishes a Resync, so subscribers re-read whatever was committed while it was not listening.
/// </summary>
internal sealed partial class PostgresChangeListener : IAsyncDisposable
{
    private readonly PostgresDocumentStoreOptions _options;
    private readonly DocumentChangeDispatcher _dispatcher;
    private readonly string _sender;
    private readonly ILogger _logger;
    private readonly string _connectionString;
    private readonly Random _jitter;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _connections;
    private long _failures;
    private long _notifications;
    private int _isListening;

    public PostgresChangeListener(PostgresDocumentStoreOptions options, DocumentChangeDispatcher dispatcher, string sender, ILogger logger)
    {
        _options = options;
        _dispatcher = dispatcher;
        _sender = sender;
        _logger = logger;
        _jitter = options.JitterSeed is { } seed ? new Random(seed) : new Random();
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString)
        {
            Pooling = false,
            TcpKeepAlive = true,
            ApplicationName = "sync-crdt-listener " + options.Schema,
            Timeout = (int)Math.Ceiling(options.ListenerHealthCheckTimeout.TotalSeconds),
        };
        _connectionString = builder.ConnectionString;
        _loop = Task.Run(RunAsync);
    }

    public PostgresListenerStatistics Statistics => new()
    {
        IsListening = Volatile.Read(ref _isListening) != 0,
        Connections = Interlocked.Read(ref _connections),
        Failures = Interlocked.Read(ref _failures),
        Notifications = Interlocked.Read(ref _notifications),
    };

    public Task WaitListeningAsync(CancellationToken cancellationToken) => Volatile.Read(ref _listening).Task.WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        CancellationToken stop = _stop.Token;
        int attempt = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(stop, () => attempt = 0).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Whatever broke the connection, the listener reconnects: that is its job.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Interlocked.Increment(ref _failures);
                LogConnectionLost(_logger, attempt, ex.Message);
            }
            finally
            {
                if (Interlocked.Exchange(ref _isListening, 0) != 0)
                {
                    Volatile.Write(ref _listening, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                }
            }

            try
            {
                await Task.Delay(Backoff(attempt++), _options.TimeProvider, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ListenAsync(CancellationToken stop, Action connected)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        connection.Notification += OnNotification;
        await connection.OpenAsync(stop).ConfigureAwait(false);
        await using (var listen = new NpgsqlCommand($"LISTEN \"{_options.Channel}\"", connection))
        {
            await listen.ExecuteNonQueryAsync(stop).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _connections);
        Volatile.Write(ref _isListening, 1);
        connected();
        LogListening(_logger, _options.Channel);

        // Listening from here on: whatever was committed before is found by the re-read this Resync triggers.
        _dispatcher.Publish(DocumentChange.Resync);
        Volatile.Read(ref _listening).TrySetResult();
        while (true)
        {
            if (!await connection.WaitAsync(_options.ListenerHealthCheckInterval, stop).ConfigureAwait(false))
            {
                await using var ping = new NpgsqlCommand("SELECT 1", connection) { CommandTimeout = (int)Math.Ceiling(_options.ListenerHealthCheckTimeout.TotalSeconds) };
                await ping.ExecuteScalarAsync(stop).ConfigureAwait(false);
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs args)
    {
        if (!PostgresDoorbell.TryParse(args.Payload, out string from, out long head, out string document))
        {
            return;
        }

        if (string.Equals(from, _sender, StringComparison.Ordinal))
        {
            return; // This store's own commit: its subscribers were signaled when it committed.
        }

        Interlocked.Increment(ref _notifications);

        try
        {
            DocumentCommit.ThrowIfInvalidName(document, nameof(document));
        }
        catch (ArgumentException)
        {
            return;
        }

        _dispatcher.Publish(DocumentChange.Committed(document, head));
    }

    private TimeSpan Backoff(int attempt)
    {
        double min = Math.Max(_options.ReconnectDelayMin.TotalMilliseconds, 1);
        double max = _options.ReconnectDelayMax.TotalMilliseconds;
        double ceiling = Math.Min(max, min * Math.Pow(2, Math.Min(attempt, 30)));
        double jittered;
        lock (_jitter)
        {
            jittered = ceiling / 2 + (_jitter.NextDouble() * ceiling / 2);
        }

        return TimeSpan.FromMilliseconds(jittered);
    }

    [LoggerMessage(EventId = 1, EventName = "ListenerListening", Level = LogLevel.Information, Message = "Listening for document changes on channel {Channel}")]
    private static partial void LogListening(ILogger logger, string channel);

    [LoggerMessage(EventId = 2, EventName = "ListenerConnectionLost", Level = LogLevel.Warning, Message = "Change listener connection lost (attempt {Attempt}): {Reason}; reconnecting")]
    private static partial void LogConnectionLost(ILogger logger, int attempt, string reason);
}
