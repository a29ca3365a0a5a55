using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Postgres;

/// <content>Node cursors, heartbeats and log pruning.</content>
public sealed partial class PostgresDocumentStore
{
    /// <summary>
    /// Records that this node (<see cref="PostgresDocumentStoreOptions.NodeId"/>) has processed <paramref name="document"/>'s
    /// log through <paramref name="position"/>, and refreshes the node's heartbeat. <see cref="PruneLogAsync"/> keeps every
    /// row after the lowest cursor of a live node. The first call starts a background heartbeat (every third of
    /// <see cref="PostgresDocumentStoreOptions.NodeExpiry"/>) that keeps the node alive until the store is disposed.
    /// </summary>
    /// <param name="document">The document (ignored when it does not exist yet).</param>
    /// <param name="position">The last position this node has processed.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the cursor is stored.</returns>
    /// <exception cref="ArgumentException"><paramref name="document"/> is not a valid name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="position"/> is negative.</exception>
    /// <exception cref="DocumentStoreException">PostgreSQL failed.</exception>
    public async Task SaveCursorAsync(string document, long position, CancellationToken cancellationToken = default)
    {
        DocumentCommit.ThrowIfInvalidName(document, nameof(document));
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ThrowIfDisposed();
        await ExecuteAsync(
            $"""
            WITH n AS (INSERT INTO {_sql}.nodes (node_id, heartbeat_at) VALUES ($1, now()) ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now())
            INSERT INTO {_sql}.node_cursors (node_id, document_id, position) SELECT $1, id, $3 FROM {_sql}.documents WHERE name = $2
            ON CONFLICT (node_id, document_id) DO UPDATE SET position = EXCLUDED.position
            """,
            "saving a cursor",
            document,
            cancellationToken,
            Text(_options.NodeId),
            Text(document),
            Int64(position)).ConfigureAwait(false);
        StartHeartbeat();
    }

    /// <summary>Removes this node's cursor on <paramref name="document"/> (the node stopped hosting it), so it no longer pins the log.</summary>
    /// <param name="document">The document.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the cursor is removed.</returns>
    /// <exception cref="ArgumentException"><paramref name="document"/> is not a valid name.</exception>
    /// <exception cref="DocumentStoreException">PostgreSQL failed.</exception>
    public Task ReleaseCursorAsync(string document, CancellationToken cancellationToken = default)
    {
        DocumentCommit.ThrowIfInvalidName(document, nameof(document));
        ThrowIfDisposed();
        return ExecuteAsync(
            $"DELETE FROM {_sql}.node_cursors c USING {_sql}.documents d WHERE c.document_id = d.id AND c.node_id = $1 AND d.name = $2",
            "releasing a cursor",
            document,
            cancellationToken,
            Text(_options.NodeId),
            Text(document));
    }

    /// <summary>Refreshes this node's heartbeat (the background heartbeat does this after the first <see cref="SaveCursorAsync"/>).</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the heartbeat is stored.</returns>
    /// <exception cref="DocumentStoreException">PostgreSQL failed.</exception>
    public Task HeartbeatAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        return ExecuteAsync(
            $"INSERT INTO {_sql}.nodes (node_id, heartbeat_at) VALUES ($1, now()) ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now()",
            "sending a heartbeat",
            null,
            cancellationToken,
            Text(_options.NodeId));
    }

    /// <summary>
    /// Deletes log rows that are no longer needed: at or before their document's snapshot and at or before the cursor of
    /// every live node on that document (nodes whose heartbeat is older than <see cref="PostgresDocumentStoreOptions.NodeExpiry"/>
    /// are removed first, with their cursors). Deletes at most <paramref name="batchSize"/> rows per statement and repeats
    /// until nothing is left; it never takes a document's row lock, so commits proceed meanwhile. Call it periodically
    /// from one node (or several: the deletes are idempotent).
    /// </summary>
    /// <param name="batchSize">The most rows one statement deletes (at least 1).</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    /// <returns>The number of rows deleted.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is less than 1.</exception>
    /// <exception cref="DocumentStoreException">PostgreSQL failed.</exception>
    public async Task<long> PruneLogAsync(int batchSize = 10_000, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ThrowIfDisposed();
        var expiry = new NpgsqlParameter<TimeSpan> { TypedValue = _options.NodeExpiry, NpgsqlDbType = NpgsqlDbType.Interval };
        await ExecuteAsync($"DELETE FROM {_sql}.nodes WHERE heartbeat_at < now() - $1", "removing expired nodes", null, cancellationToken, expiry).ConfigureAwait(false);
        long total = 0;
        while (true)
        {
            long deleted = await ExecuteAsync(
                $"""
                WITH floors AS (
                    SELECT d.id, LEAST(d.snapshot_position, COALESCE(min(c.position), d.snapshot_position)) AS through
                    FROM {_sql}.documents d LEFT JOIN {_sql}.node_cursors c ON c.document_id = d.id
                    WHERE d.snapshot_position > 0
                    GROUP BY d.id, d.snapshot_position),
                victims AS (
                    SELECT l.document_id, l.position FROM {_sql}.log l JOIN floors f ON l.document_id = f.id
                    WHERE l.position <= f.through LIMIT $1)
                DELETE FROM {_sql}.log l USING victims v WHERE l.document_id = v.document_id AND l.position = v.position
                """,
                "pruning the log",
                null,
                cancellationToken,
                Int64(batchSize)).ConfigureAwait(false);
            total += deleted;
            if (deleted < batchSize)
            {
                return total;
            }
        }
    }

    private async Task<long> ExecuteAsync(string sql, string what, string? document, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        try
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddRange(parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgresErrors.IsDriverFailure(ex))
        {
            throw PostgresErrors.Translate(ex, what, document);
        }
    }

    private void StartHeartbeat()
    {
        lock (_gate)
        {
            _heartbeat ??= Task.Run(HeartbeatLoopAsync);
        }
    }

    private async Task HeartbeatLoopAsync()
    {
        CancellationToken stop = _stop.Token;
        TimeSpan interval = _options.NodeExpiry / 3;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _options.TimeProvider, stop).ConfigureAwait(false);
                await HeartbeatAsync(stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (DocumentStoreException)
            {
                // Missed beats are harmless until the expiry; the next one retries.
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }
}
