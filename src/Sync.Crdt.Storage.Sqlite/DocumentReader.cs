using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.Data.Sqlite;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Sqlite;

/// <summary>The store's read queries, each run inside a read transaction by <see cref="ReaderPool"/>.</summary>
internal static class DocumentReader
{
    internal static StoredDocument Load(SqliteConnection connection, SqliteTransaction transaction, string name)
    {
        using SqliteCommand find = Command(connection, transaction, "SELECT id, head, snapshot_position, snapshot FROM documents WHERE name = $a", name);
        long id;
        long head;
        StoredSnapshot? snapshot = null;
        using (SqliteDataReader row = find.ExecuteReader())
        {
            if (!row.Read())
            {
                return new StoredDocument(name, 0, null, [], ImmutableSortedDictionary<string, ReadOnlyMemory<byte>>.Empty.WithComparers(StringComparer.Ordinal));
            }

            id = row.GetInt64(0);
            head = row.GetInt64(1);
            if (!row.IsDBNull(2))
            {
                snapshot = new StoredSnapshot(row.GetInt64(2), row.IsDBNull(3) ? Array.Empty<byte>() : (byte[])row.GetValue(3));
            }
        }

        ImmutableArray<LogRecord> records = Records(connection, transaction, id, 0, int.MaxValue);
        ImmutableSortedDictionary<string, ReadOnlyMemory<byte>>.Builder metadata = ImmutableSortedDictionary.CreateBuilder<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
        using SqliteCommand meta = Command(connection, transaction, "SELECT key, value FROM metadata WHERE document = $a", id);
        using (SqliteDataReader row = meta.ExecuteReader())
        {
            while (row.Read())
            {
                metadata[row.GetString(0)] = (byte[])row.GetValue(1);
            }
        }

        return new StoredDocument(name, head, snapshot, records, metadata.ToImmutable());
    }

    internal static LogSlice ReadLog(SqliteConnection connection, SqliteTransaction transaction, string name, long afterPosition, int maxRecords)
    {
        using SqliteCommand find = Command(connection, transaction, "SELECT id, head FROM documents WHERE name = $a", name);
        long id;
        long head;
        using (SqliteDataReader row = find.ExecuteReader())
        {
            if (!row.Read())
            {
                return new LogSlice([], 1, 0);
            }

            id = row.GetInt64(0);
            head = row.GetInt64(1);
        }

        using SqliteCommand first = Command(connection, transaction, "SELECT min(position) FROM records WHERE document = $a", id);
        object? min = first.ExecuteScalar();
        long start = min is long position ? position : head + 1;
        return new LogSlice(Records(connection, transaction, id, afterPosition, maxRecords), start, head);
    }

    internal static IReadOnlyList<string> List(SqliteConnection connection, SqliteTransaction transaction)
    {
        using SqliteCommand command = Command(connection, transaction, "SELECT name FROM documents", null);
        var names = new List<string>();
        using (SqliteDataReader row = command.ExecuteReader())
        {
            while (row.Read())
            {
                names.Add(row.GetString(0));
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private static ImmutableArray<LogRecord> Records(SqliteConnection connection, SqliteTransaction transaction, long id, long afterPosition, int maxRecords)
    {
        using SqliteCommand command = Command(connection, transaction, "SELECT position, payload FROM records WHERE document = $a AND position > $b ORDER BY position LIMIT $c", id);
        command.Parameters.AddWithValue("$b", afterPosition);
        command.Parameters.AddWithValue("$c", maxRecords);
        ImmutableArray<LogRecord>.Builder records = ImmutableArray.CreateBuilder<LogRecord>();
        using SqliteDataReader row = command.ExecuteReader();
        while (row.Read())
        {
            records.Add(new LogRecord(row.GetInt64(0), (byte[])row.GetValue(1)));
        }

        return records.DrainToImmutable();
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, object? parameter)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        if (parameter is not null)
        {
            command.Parameters.AddWithValue("$a", parameter);
        }

        return command;
    }
}
