using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Sync.Crdt.Storage.Postgres;

/// <summary>
/// Sends after-commit doorbells off the commit path: commits enqueue payloads, one loop drains whatever is queued and
/// sends it in a single <c>SELECT pg_notify(...) FROM unnest(...)</c> on a pooled connection, so concurrent commits
/// share one round trip and never wait for PostgreSQL's notification lock. A failed send is counted and dropped:
/// readers find the commits by their periodic and reconnect re-reads.
/// </summary>
internal sealed partial class PostgresNotifier : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _channel;
    private readonly ILogger _logger;
    private readonly Channel<string> _queue = Channel.CreateBounded<string>(new BoundedChannelOptions(65_536) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly Task _loop;
    private long _failures;
    private long _sent;

    public PostgresNotifier(NpgsqlDataSource dataSource, string channel, ILogger logger)
    {
        _dataSource = dataSource;
        _channel = channel;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public long Failures => Interlocked.Read(ref _failures);

    public long Sent => Interlocked.Read(ref _sent);

    // A full queue drops the oldest doorbell: readers still see the commit through a later doorbell or a re-read.
    public void Enqueue(string payload) => _queue.Writer.TryWrite(payload);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<string>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            var unique = new HashSet<string>(StringComparer.Ordinal);
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out string? payload))
            {
                if (unique.Add(payload))
                {
                    batch.Add(payload);
                }
            }

            try
            {
                await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync().ConfigureAwait(false);
                await using var command = new NpgsqlCommand("SELECT pg_notify($1, p) FROM unnest($2) AS p", connection);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _channel, NpgsqlDbType = NpgsqlDbType.Text });
                command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
                Interlocked.Add(ref _sent, batch.Count);
            }
            catch (Exception ex) when (PostgresErrors.IsDriverFailure(ex))
            {
                Interlocked.Add(ref _failures, batch.Count);
                LogSendFailed(_logger, batch.Count, ex);
            }
        }
    }

    [LoggerMessage(EventId = 3, EventName = "DoorbellSendFailed", Level = LogLevel.Warning, Message = "Could not send {Count} change doorbell(s); readers will find the commits by re-reading")]
    private static partial void LogSendFailed(ILogger logger, int count, Exception exception);
}
