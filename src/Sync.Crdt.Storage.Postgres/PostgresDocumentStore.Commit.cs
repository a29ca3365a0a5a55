using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using NpgsqlTypes;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Postgres;

/// <content>Commits: lock the document row, verify, write, COMMIT; then the doorbell.</content>
public sealed partial class PostgresDocumentStore
{
    /// <inheritdoc />
    public async Task<CommitResult> CommitAsync(DocumentCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        NpgsqlConnection connection;
        try
        {
            connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgresErrors.IsDriverFailure(ex))
        {
            throw PostgresErrors.Translate(ex, "connecting for a commit", commit.Document);
        }

        await using (connection.ConfigureAwait(false))
        {
            // From here on the commit is not canceled: a half-sent transaction would only be rolled back anyway.
            bool open = true;
            try
            {
                (long id, long head, long? snapshotPosition) = await LockDocumentAsync(connection, commit.Document).ConfigureAwait(false);
                long newHead = commit.Verify(head, snapshotPosition);
                await using (NpgsqlBatch batch = BuildWrites(connection, commit, id, head, newHead, snapshotPosition))
                {
                    await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
                }

                open = false;
                if (newHead > head)
                {
                    Signal(commit.Document, newHead);
                }

                return new CommitResult(head + 1, newHead);
            }
            catch (Exception ex) when (open && (ex is DocumentConflictException || PostgresErrors.IsDriverFailure(ex)))
            {
                await RollBackAsync(connection).ConfigureAwait(false);
                throw ex as DocumentConflictException ?? PostgresErrors.Translate(ex, "a commit", commit.Document);
            }
            catch (Exception ex) when (PostgresErrors.IsDriverFailure(ex))
            {
                // COMMIT itself failed: nothing to roll back (an uncertain outcome if the connection broke; see the type's remarks).
                throw PostgresErrors.Translate(ex, "a commit", commit.Document);
            }
        }
    }

    // Round trip 1: BEGIN and lock the document's row (creating it on the document's first commit).
    private async Task<(long Id, long Head, long? SnapshotPosition)> LockDocumentAsync(NpgsqlConnection connection, string document)
    {
        string select = $"SELECT id, head, snapshot_position FROM {_sql}.documents WHERE name = $1 FOR UPDATE";
        await using (var batch = new NpgsqlBatch(connection))
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN"));
            batch.BatchCommands.Add(Command(select, Text(document)));
            await using NpgsqlDataReader reader = await batch.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
            await NextRowSetAsync(reader, CancellationToken.None).ConfigureAwait(false);
            if (await reader.ReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                return (reader.GetInt64(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2));
            }
        }

        await using var create = new NpgsqlBatch(connection);
        create.BatchCommands.Add(Command($"INSERT INTO {_sql}.documents (name) VALUES ($1) ON CONFLICT (name) DO NOTHING", Text(document)));
        create.BatchCommands.Add(Command(select, Text(document)));
        await using NpgsqlDataReader created = await create.ExecuteReaderAsync(CancellationToken.None).ConfigureAwait(false);
        await NextRowSetAsync(created, CancellationToken.None).ConfigureAwait(false);
        if (!await created.ReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            throw new DocumentStoreException($"Document '{document}' vanished while it was being created.");
        }

        return (created.GetInt64(0), created.GetInt64(1), created.IsDBNull(2) ? null : created.GetInt64(2));
    }

    // Round trip 2: every write of the commit, the in-transaction doorbell if configured, and COMMIT.
    private NpgsqlBatch BuildWrites(NpgsqlConnection connection, DocumentCommit commit, long id, long head, long newHead, long? snapshotPosition)
    {
        var batch = new NpgsqlBatch(connection);
        long position = head;
        foreach (ReadOnlyMemory<byte> payload in commit.Appends.IsDefault ? [] : commit.Appends)
        {
            batch.BatchCommands.Add(Command($"INSERT INTO {_sql}.log (document_id, position, payload) VALUES ($1, $2, $3)", Int64(id), Int64(++position), Bytes(payload)));
        }

        foreach (KeyValuePair<string, ReadOnlyMemory<byte>> entry in commit.SetMetadata.IsDefault ? [] : commit.SetMetadata)
        {
            batch.BatchCommands.Add(Command($"INSERT INTO {_sql}.metadata (document_id, key, value) VALUES ($1, $2, $3) ON CONFLICT (document_id, key) DO UPDATE SET value = EXCLUDED.value", Int64(id), Text(entry.Key), Bytes(entry.Value)));
        }

        if (!commit.RemoveMetadata.IsDefaultOrEmpty)
        {
            batch.BatchCommands.Add(Command($"DELETE FROM {_sql}.metadata WHERE document_id = $1 AND key = ANY($2)", Int64(id), new NpgsqlParameter<string[]> { TypedValue = [.. commit.RemoveMetadata], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }));
        }

        long? newSnapshotPosition = snapshotPosition;
        if (commit.Snapshot is { } snapshot)
        {
            newSnapshotPosition = snapshot.Position;
            batch.BatchCommands.Add(Command($"INSERT INTO {_sql}.snapshots (document_id, position, payload) VALUES ($1, $2, $3) ON CONFLICT (document_id) DO UPDATE SET position = EXCLUDED.position, payload = EXCLUDED.payload", Int64(id), Int64(snapshot.Position), Bytes(snapshot.Payload)));
        }

        if (newHead != head || newSnapshotPosition != snapshotPosition)
        {
            batch.BatchCommands.Add(Command($"UPDATE {_sql}.documents SET head = $2, snapshot_position = $3 WHERE id = $1", Int64(id), Int64(newHead), new NpgsqlParameter<long?> { TypedValue = newSnapshotPosition, NpgsqlDbType = NpgsqlDbType.Bigint }));
        }

        if (commit.TruncateThrough is { } through)
        {
            batch.BatchCommands.Add(Command($"DELETE FROM {_sql}.log WHERE document_id = $1 AND position <= $2", Int64(id), Int64(through)));
        }

        if (_options.NotifyMode == PostgresNotifyMode.InTransaction && newHead > head)
        {
            batch.BatchCommands.Add(Command("SELECT pg_notify($1, $2)", Text(_options.Channel), Text(PostgresDoorbell.Format(_sender, newHead, commit.Document))));
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        return batch;
    }

    private static async Task RollBackAsync(NpgsqlConnection connection)
    {
        if (connection.FullState.HasFlag(System.Data.ConnectionState.Broken) || connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (PostgresErrors.IsDriverFailure(ex))
        {
            // The connection is gone; PostgreSQL rolls the transaction back itself when the session ends.
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (NpgsqlParameter parameter in parameters)
        {
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private static NpgsqlParameter<long> Int64(long value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Bigint };

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter<ReadOnlyMemory<byte>> Bytes(ReadOnlyMemory<byte> value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Bytea };
}
