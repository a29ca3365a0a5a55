using System;
using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Sqlite;

/// <summary>Read connections, each used by one reader at a time, each read inside one read transaction (one consistent point).</summary>
internal sealed class ReaderPool : IDisposable
{
    private const int MaxIdle = 4;
    private readonly ConcurrentBag<SqliteConnection> _idle = [];
    private readonly string _path;
    private readonly SqliteDurability _durability;
    private volatile bool _disposed;

    internal ReaderPool(string path, SqliteDurability durability)
    {
        _path = path;
        _durability = durability;
    }

    internal TResult Read<TState, TResult>(Func<SqliteConnection, SqliteTransaction, TState, TResult> read, TState state)
    {
        SqliteConnection? connection = null;
        try
        {
            if (!_idle.TryTake(out connection))
            {
                connection = StoreFile.OpenConnection(_path, SqliteOpenMode.ReadWrite, _durability);
            }

            TResult result;
            using (SqliteTransaction transaction = connection.BeginTransaction(deferred: true))
            {
                result = read(connection, transaction, state);
                transaction.Commit();
            }

            if (!_disposed && _idle.Count < MaxIdle)
            {
                _idle.Add(connection);
                connection = null;
            }

            return result;
        }
        catch (SqliteException ex)
        {
            throw new DocumentStoreException($"Reading the store '{_path}' failed: {ex.Message}", ex);
        }
        finally
        {
            connection?.Dispose();
        }
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out SqliteConnection? connection))
        {
            connection.Dispose();
        }
    }
}
