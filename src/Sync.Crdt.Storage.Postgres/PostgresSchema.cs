using System;
using System.Threading;
using System.Threading.Tasks;
using Npgsql;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Postgres;

/// <summary>
/// Creates and upgrades the store's tables. The version lives in <c>schema_info</c>; opening a schema written by a newer
/// version fails instead of guessing. Creation and upgrades run under a transaction-scoped advisory lock, so nodes that
/// start together do not race.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The schema version this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    public static async Task EnsureAsync(NpgsqlDataSource dataSource, string schema, CancellationToken cancellationToken)
    {
        await using NpgsqlConnection connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('sync_crdt_schema:' || $1))", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter { Value = schema });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        int version = await ReadVersionAsync(connection, transaction, schema, cancellationToken).ConfigureAwait(false);
        if (version > CurrentVersion)
        {
            throw new DocumentStoreException($"The PostgreSQL schema '{schema}' has version {version}, newer than this library's {CurrentVersion}: upgrade the library (the schema is left untouched).");
        }

        for (int next = version + 1; next <= CurrentVersion; next++)
        {
            await using var migrate = new NpgsqlCommand(Migration(next, schema), connection, transaction);
            await migrate.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schema, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection, transaction);
        exists.Parameters.Add(new NpgsqlParameter { Value = $"\"{schema}\".schema_info" });
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
        {
            return 0;
        }

        await using var read = new NpgsqlCommand($"SELECT version FROM \"{schema}\".schema_info", connection, transaction);
        object? value = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is int version ? version : throw new DocumentStoreException($"The PostgreSQL schema '{schema}' has a schema_info table without a version row: it was not written by this library.");
    }

    // Each migration brings the schema from version n - 1 to n and records n. Never edit a released migration: add one.
    private static string Migration(int version, string schema) => version switch
    {
        1 => $"""
            CREATE SCHEMA IF NOT EXISTS "{schema}";
            CREATE TABLE "{schema}".schema_info (
                singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
                version integer NOT NULL);
            CREATE TABLE "{schema}".documents (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name text COLLATE "C" NOT NULL UNIQUE,
                head bigint NOT NULL DEFAULT 0 CHECK (head >= 0),
                snapshot_position bigint CHECK (snapshot_position >= 0 AND snapshot_position <= head));
            CREATE TABLE "{schema}".log (
                document_id bigint NOT NULL REFERENCES "{schema}".documents (id),
                position bigint NOT NULL CHECK (position > 0),
                payload bytea NOT NULL,
                PRIMARY KEY (document_id, position));
            CREATE TABLE "{schema}".snapshots (
                document_id bigint PRIMARY KEY REFERENCES "{schema}".documents (id),
                position bigint NOT NULL,
                payload bytea NOT NULL);
            CREATE TABLE "{schema}".metadata (
                document_id bigint NOT NULL REFERENCES "{schema}".documents (id),
                key text COLLATE "C" NOT NULL,
                value bytea NOT NULL,
                PRIMARY KEY (document_id, key));
            CREATE TABLE "{schema}".nodes (
                node_id text PRIMARY KEY,
                heartbeat_at timestamptz NOT NULL);
            CREATE TABLE "{schema}".node_cursors (
                node_id text NOT NULL REFERENCES "{schema}".nodes (node_id) ON DELETE CASCADE,
                document_id bigint NOT NULL REFERENCES "{schema}".documents (id),
                position bigint NOT NULL,
                PRIMARY KEY (node_id, document_id));
            CREATE INDEX ON "{schema}".node_cursors (document_id);
            INSERT INTO "{schema}".schema_info (version) VALUES (1);
            """,
        _ => throw new InvalidOperationException($"No migration to version {version}."),
    };
}
