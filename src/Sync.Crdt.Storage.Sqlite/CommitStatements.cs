using System;
using System.Collections.Generic;
using Microsoft.Data.Sqlite;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Sqlite;

/// <summary>The writer's prepared statements for one transaction, and how one <see cref="DocumentCommit"/> becomes SQL.</summary>
internal sealed class CommitStatements : IDisposable
{
    private readonly SqliteCommand _find;
    private readonly SqliteCommand _create;
    private readonly SqliteCommand _append;
    private readonly SqliteCommand _setHead;
    private readonly SqliteCommand _setMetadata;
    private readonly SqliteCommand _removeMetadata;
    private readonly SqliteCommand _setSnapshot;
    private readonly SqliteCommand _truncate;

    internal CommitStatements(SqliteConnection connection, SqliteTransaction transaction)
    {
        _find = Create(connection, transaction, "SELECT id, head, snapshot_position FROM documents WHERE name = $a", 1);
        _create = Create(connection, transaction, "INSERT INTO documents (name, head) VALUES ($a, 0) RETURNING id", 1);
        _append = Create(connection, transaction, "INSERT INTO records (document, position, payload) VALUES ($a, $b, $c)", 3);
        _setHead = Create(connection, transaction, "UPDATE documents SET head = $b WHERE id = $a", 2);
        _setMetadata = Create(connection, transaction, "INSERT INTO metadata (document, key, value) VALUES ($a, $b, $c) ON CONFLICT (document, key) DO UPDATE SET value = excluded.value", 3);
        _removeMetadata = Create(connection, transaction, "DELETE FROM metadata WHERE document = $a AND key = $b", 2);
        _setSnapshot = Create(connection, transaction, "UPDATE documents SET snapshot_position = $b, snapshot = $c WHERE id = $a", 3);
        _truncate = Create(connection, transaction, "DELETE FROM records WHERE document = $a AND position <= $b", 2);
    }

    /// <summary>Verifies and writes one commit inside the open transaction.</summary>
    /// <exception cref="DocumentConflictException">The commit breaks a rule; the caller rolls back its savepoint.</exception>
    internal CommitResult Apply(DocumentCommit commit)
    {
        long id;
        long head = 0;
        long? snapshotPosition = null;
        bool exists;
        _find.Parameters[0].Value = commit.Document;
        using (SqliteDataReader row = _find.ExecuteReader())
        {
            exists = row.Read();
            id = exists ? row.GetInt64(0) : 0;
            if (exists)
            {
                head = row.GetInt64(1);
                snapshotPosition = row.IsDBNull(2) ? null : row.GetInt64(2);
            }
        }

        long newHead = commit.Verify(head, snapshotPosition);
        if (!exists)
        {
            _create.Parameters[0].Value = commit.Document;
            id = (long)_create.ExecuteScalar()!;
        }

        long position = head;
        foreach (ReadOnlyMemory<byte> payload in commit.Appends)
        {
            Run(_append, id, ++position, payload);
        }

        if (newHead != head)
        {
            Run(_setHead, id, newHead);
        }

        foreach (KeyValuePair<string, ReadOnlyMemory<byte>> entry in commit.SetMetadata)
        {
            Run(_setMetadata, id, entry.Key, entry.Value);
        }

        foreach (string key in commit.RemoveMetadata)
        {
            Run(_removeMetadata, id, key);
        }

        if (commit.Snapshot is { } snapshot)
        {
            Run(_setSnapshot, id, snapshot.Position, snapshot.Payload);
        }

        if (commit.TruncateThrough is { } through)
        {
            Run(_truncate, id, through);
        }

        return new CommitResult(head + 1, newHead);
    }

    public void Dispose()
    {
        _find.Dispose();
        _create.Dispose();
        _append.Dispose();
        _setHead.Dispose();
        _setMetadata.Dispose();
        _removeMetadata.Dispose();
        _setSnapshot.Dispose();
        _truncate.Dispose();
    }

    internal static object Blob(ReadOnlyMemory<byte> bytes) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(bytes, out ArraySegment<byte> segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();

    private static SqliteCommand Create(SqliteConnection connection, SqliteTransaction transaction, string sql, int parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        for (int i = 0; i < parameters; i++)
        {
            command.Parameters.Add(new SqliteParameter("$" + (char)('a' + i), null));
        }

        return command;
    }

    private static void Run(SqliteCommand command, long id, object value)
    {
        command.Parameters[0].Value = id;
        command.Parameters[1].Value = value;
        command.ExecuteNonQuery();
    }

    private static void Run(SqliteCommand command, long id, object value, ReadOnlyMemory<byte> blob)
    {
        command.Parameters[0].Value = id;
        command.Parameters[1].Value = value;
        command.Parameters[2].Value = Blob(blob);
        command.ExecuteNonQuery();
    }
}
