using System;
using System.Buffers.Binary;
using System.IO;
using Microsoft.Data.Sqlite;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Sqlite;

/// <summary>
/// Opening a store file: the exclusive lock file, the header checks that refuse foreign or corrupt files before SQLite
/// writes anything, the schema, and the connection settings every connection of the store shares.
/// </summary>
internal static class StoreFile
{
    /// <summary>The <c>application_id</c> of a Sync.Crdt store ("SCRD").</summary>
    internal const int ApplicationId = 0x53435244;

    /// <summary>The schema version this code reads and writes (<c>user_version</c>).</summary>
    internal const int SchemaVersion = 1;

    private static ReadOnlySpan<byte> SqliteMagic => "SQLite format 3\0"u8;

    /// <summary>Takes the store's lock file (<c>path + ".lock"</c>), failing at once when another process or store instance holds it.</summary>
    internal static FileStream AcquireLock(string path)
    {
        string lockPath = path + ".lock";
        try
        {
            // FileShare.None takes an exclusive, non-blocking advisory lock (flock on Unix, a share mode on Windows);
            // the operating system releases it when the process dies, so a killed writer never leaves it stuck.
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException ex)
        {
            throw new DocumentStoreException($"The store '{path}' is in use by another process or another open store (its lock file '{lockPath}' is locked). Only one writer may open a store at a time.", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new DocumentStoreException($"The store's lock file '{lockPath}' cannot be created or opened: {ex.Message}", ex);
        }
    }

    /// <summary>Refuses a file that exists but is not an SQLite database, before SQLite opens (and could write to) it.</summary>
    internal static void CheckHeader(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Length == 0)
        {
            return;
        }

        Span<byte> header = stackalloc byte[100];
        int read;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            read = file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new DocumentStoreException($"The store file '{path}' cannot be read: {ex.Message}", ex);
        }

        if (read < header.Length || !header[..SqliteMagic.Length].SequenceEqual(SqliteMagic))
        {
            throw new DocumentStoreException($"The file '{path}' is not a Sync.Crdt store (not an SQLite database, or its header is corrupt); it was left untouched.");
        }

        int applicationId = BinaryPrimitives.ReadInt32BigEndian(header[68..]);
        if (applicationId != ApplicationId && applicationId != 0)
        {
            throw new DocumentStoreException($"The file '{path}' is an SQLite database of another application (application_id 0x{applicationId:X8}); it was left untouched.");
        }
    }

    /// <summary>Builds the connection string: no pooling (closing means closed), the given mode.</summary>
    internal static string ConnectionString(string path, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Pooling = false,
        Cache = SqliteCacheMode.Private,
        DefaultTimeout = 5,
    }.ToString();

    /// <summary>Opens a connection with the store's settings.</summary>
    internal static SqliteConnection OpenConnection(string path, SqliteOpenMode mode, SqliteDurability durability)
    {
        var connection = new SqliteConnection(ConnectionString(path, mode));
        try
        {
            connection.Open();
            Execute(connection, durability == SqliteDurability.Full
                ? "PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=OFF;"
                : "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=OFF;");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks the opened database's identity and creates the schema in a new one: a database of another application, of a
    /// newer schema, or an SQLite database with foreign tables is refused without a write.
    /// </summary>
    internal static void InitializeSchema(SqliteConnection connection, string path)
    {
        long applicationId = Scalar(connection, "PRAGMA application_id;");
        long version = Scalar(connection, "PRAGMA user_version;");
        long tables = Scalar(connection, "SELECT count(*) FROM sqlite_schema;");
        if (applicationId == ApplicationId)
        {
            if (version != SchemaVersion)
            {
                throw new DocumentStoreException($"The store '{path}' has schema version {version}; this version of Sync.Crdt.Storage.Sqlite reads version {SchemaVersion} only. It was left untouched.");
            }

            Execute(connection, "PRAGMA journal_mode=WAL;");
            return;
        }

        if (applicationId != 0 || version != 0 || tables != 0)
        {
            throw new DocumentStoreException($"The file '{path}' is an SQLite database that is not a Sync.Crdt store (application_id 0x{applicationId:X8}, {tables} schema object(s)); it was left untouched.");
        }

        Execute(connection, "PRAGMA journal_mode=WAL;");
        using SqliteTransaction transaction = connection.BeginTransaction();
        Execute(connection, $"""
            CREATE TABLE documents (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                head INTEGER NOT NULL,
                snapshot_position INTEGER,
                snapshot BLOB
            ) STRICT;
            CREATE TABLE records (
                document INTEGER NOT NULL,
                position INTEGER NOT NULL,
                payload BLOB NOT NULL,
                PRIMARY KEY (document, position)
            ) STRICT;
            CREATE TABLE metadata (
                document INTEGER NOT NULL,
                key TEXT NOT NULL,
                value BLOB NOT NULL,
                PRIMARY KEY (document, key)
            ) STRICT;
            PRAGMA application_id={ApplicationId};
            PRAGMA user_version={SchemaVersion};
            """, transaction);
        transaction.Commit();
    }

    internal static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
