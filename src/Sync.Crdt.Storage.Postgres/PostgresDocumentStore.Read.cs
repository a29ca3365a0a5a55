using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Postgres;

/// <content>Reads: whole documents (one repeatable-read snapshot), log slices after a cursor (one statement), names.</content>
public sealed partial class PostgresDocumentStore
{
    /// <inheritdoc />
    public async ValueTask<StoredDocument> LoadAsync(string document, CancellationToken cancellationToken = default)
    {
        DocumentCommit.ThrowIfInvalidName(document, nameof(document));
        ThrowIfDisposed();
        try
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection);
            batch.BatchCommands.Add(new NpgsqlBatchCommand("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"));
            batch.BatchCommands.Add(Command($"SELECT d.head, s.position, s.payload FROM {_sql}.documents d LEFT JOIN {_sql}.snapshots s ON s.document_id = d.id WHERE d.name = $1", Text(document)));
            batch.BatchCommands.Add(Command($"SELECT l.position, l.payload FROM {_sql}.log l JOIN {_sql}.documents d ON d.id = l.document_id WHERE d.name = $1 ORDER BY l.position", Text(document)));
            batch.BatchCommands.Add(Command($"SELECT m.key, m.value FROM {_sql}.metadata m JOIN {_sql}.documents d ON d.id = m.document_id WHERE d.name = $1", Text(document)));
            batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
            await using NpgsqlDataReader reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

            await NextRowSetAsync(reader, cancellationToken).ConfigureAwait(false);
            long head = 0;
            StoredSnapshot? snapshot = null;
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                head = reader.GetInt64(0);
                snapshot = reader.IsDBNull(1) ? null : new StoredSnapshot(reader.GetInt64(1), reader.GetFieldValue<byte[]>(2));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await NextRowSetAsync(reader, cancellationToken).ConfigureAwait(false);
            ImmutableArray<LogRecord>.Builder records = ImmutableArray.CreateBuilder<LogRecord>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                records.Add(new LogRecord(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await NextRowSetAsync(reader, cancellationToken).ConfigureAwait(false);
            ImmutableSortedDictionary<string, ReadOnlyMemory<byte>>.Builder metadata = ImmutableSortedDictionary.CreateBuilder<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                metadata[reader.GetString(0)] = reader.GetFieldValue<byte[]>(1);
            }

            return new StoredDocument(document, head, snapshot, records.DrainToImmutable(), metadata.ToImmutable());
        }
        catch (Exception ex) when (PostgresErrors.IsDriverFailure(ex))
        {
            throw PostgresErrors.Translate(ex, "loading", document);
        }
    }

    /// <inheritdoc />
    public async ValueTask<LogSlice> ReadLogAsync(string document, long afterPosition, int maxRecords, CancellationToken cancellationToken = default)
    {
        DocumentCommit.ThrowIfInvalidName(document, nameof(document));
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        ThrowIfDisposed();
        try
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

            // One statement, so the head, the first retained position and the rows come from one snapshot.
            await using var command = new NpgsqlCommand(
                $"""
                SELECT d.head, (SELECT min(position) FROM {_sql}.log WHERE document_id = d.id), l.position, l.payload
                FROM {_sql}.documents d
                LEFT JOIN LATERAL (SELECT position, payload FROM {_sql}.log WHERE document_id = d.id AND position > $2 ORDER BY position LIMIT $3) l ON true
                WHERE d.name = $1
                ORDER BY l.position
                """,
                connection);
            command.Parameters.Add(Text(document));
            command.Parameters.Add(Int64(afterPosition));
            command.Parameters.Add(Int64(maxRecords));
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            long head = 0;
            long? start = null;
            ImmutableArray<LogRecord>.Builder records = ImmutableArray.CreateBuilder<LogRecord>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                head = reader.GetInt64(0);
                start = reader.IsDBNull(1) ? null : reader.GetInt64(1);
                if (!reader.IsDBNull(2))
                {
                    records.Add(new LogRecord(reader.GetInt64(2), reader.GetFieldValue<byte[]>(3)));
                }
            }

            return new LogSlice(records.DrainToImmutable(), start ?? head + 1, head);
        }
        catch (Exception ex) when (PostgresErrors.IsDriverFailure(ex))
        {
            throw PostgresErrors.Translate(ex, "reading the log", document);
        }
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> ListDocumentsAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfDisposed();
        try
        {
            await using NpgsqlConnection connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"SELECT name FROM {_sql}.documents", connection);
            await using NpgsqlDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var names = new List<string>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                names.Add(reader.GetString(0));
            }

            names.Sort(StringComparer.Ordinal);
            return names;
        }
        catch (Exception ex) when (PostgresErrors.IsDriverFailure(ex))
        {
            throw PostgresErrors.Translate(ex, "listing documents", null);
        }
    }

    // Skips the result sets of statements that return no rows (BEGIN) up to the next query's.
    private static async Task NextRowSetAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        while (reader.FieldCount == 0 && await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
        {
        }
    }
}
