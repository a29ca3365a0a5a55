using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Sqlite;

/// <summary>
/// The store's single writer: a dedicated thread that owns the write connection, takes every queued commit, writes
/// them in one transaction (group commit, each in its own savepoint so one refused commit does not sink the others)
/// and completes each caller's task only after <c>COMMIT</c> returned.
/// </summary>
internal sealed class CommitWriter
{
    private readonly object _gate = new();
    private readonly Queue<Pending> _queue = new();
    private readonly SqliteConnection _connection;
    private readonly int _maxBatch;
    private readonly Thread _thread;
    private readonly List<Pending> _batch = [];
    private bool _closing;

    internal CommitWriter(SqliteConnection connection, int maxBatch, string name)
    {
        _connection = connection;
        _maxBatch = maxBatch;
        _thread = new Thread(Run) { IsBackground = true, Name = "Sync.Crdt SQLite writer: " + name };
        _thread.Start();
    }

    /// <summary>Gets the number of transactions committed so far (tests and benchmarks read it to see grouping).</summary>
    internal long TransactionCount { get; private set; }

    /// <summary>Queues a commit; the task completes after the transaction holding it committed.</summary>
    internal Task<CommitResult> Enqueue(DocumentCommit commit)
    {
        var pending = new Pending(commit, null);
        return Enqueue(pending) ? pending.Completion.Task : Task.FromException<CommitResult>(new ObjectDisposedException(nameof(SqliteDocumentStore)));
    }

    /// <summary>Runs <paramref name="action"/> on the writer thread, between transactions (fault injection in tests).</summary>
    internal Task RunOnWriter(Action<SqliteConnection> action)
    {
        var pending = new Pending(null, action);
        return Enqueue(pending) ? pending.Completion.Task : Task.FromException(new ObjectDisposedException(nameof(SqliteDocumentStore)));
    }

    /// <summary>Stops taking commits, writes what is queued and ends the thread.</summary>
    internal void Close()
    {
        lock (_gate)
        {
            _closing = true;
            Monitor.PulseAll(_gate);
        }

        _thread.Join();
    }

    private bool Enqueue(Pending pending)
    {
        lock (_gate)
        {
            if (_closing)
            {
                return false;
            }

            _queue.Enqueue(pending);
            if (_queue.Count == 1)
            {
                Monitor.Pulse(_gate);
            }
        }

        return true;
    }

    private void Run()
    {
        while (true)
        {
            _batch.Clear();
            lock (_gate)
            {
                while (_queue.Count == 0 && !_closing)
                {
                    Monitor.Wait(_gate);
                }

                if (_queue.Count == 0)
                {
                    return;
                }

                if (_queue.Peek().Action is not null)
                {
                    _batch.Add(_queue.Dequeue());
                }
                else
                {
                    while (_batch.Count < _maxBatch && _queue.TryPeek(out Pending? next) && next.Action is null)
                    {
                        _batch.Add(_queue.Dequeue());
                    }
                }
            }

            if (_batch[0].Action is { } action)
            {
                RunAction(_batch[0], action);
            }
            else
            {
                WriteBatch();
            }
        }
    }

    private void RunAction(Pending pending, Action<SqliteConnection> action)
    {
        try
        {
            action(_connection);
            pending.Completion.TrySetResult(default);
        }
#pragma warning disable CA1031 // The failure goes to the caller's task.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            pending.Completion.TrySetException(ex);
        }
    }

    private void WriteBatch()
    {
        var results = new CommitResult[_batch.Count];
        var refusals = new Exception?[_batch.Count];
        SqliteTransaction? transaction = null;
        try
        {
            transaction = _connection.BeginTransaction(deferred: false);
            using var writes = new CommitStatements(_connection, transaction);
            for (int i = 0; i < _batch.Count; i++)
            {
                DocumentCommit commit = _batch[i].Commit!;
                transaction.Save("c");
                try
                {
                    results[i] = writes.Apply(commit);
                    transaction.Release("c");
                }
                catch (DocumentConflictException conflict)
                {
                    transaction.Rollback("c");
                    transaction.Release("c");
                    refusals[i] = conflict;
                }
            }

            transaction.Commit();
            TransactionCount++;
        }
#pragma warning disable CA1031 // Every failure is reported to every caller of the batch as a DocumentStoreException.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            TryRollback(transaction);
            var failure = ex as DocumentStoreException ?? new DocumentStoreException(Describe(ex), ex);
            foreach (Pending pending in _batch)
            {
                pending.Completion.TrySetException(failure);
            }

            return;
        }
        finally
        {
            transaction?.Dispose();
        }

        for (int i = 0; i < _batch.Count; i++)
        {
            if (refusals[i] is { } refusal)
            {
                _batch[i].Completion.TrySetException(refusal);
            }
            else
            {
                _batch[i].Completion.TrySetResult(results[i]);
            }
        }
    }

    private static void TryRollback(SqliteTransaction? transaction)
    {
        if (transaction is null)
        {
            return;
        }

        try
        {
            transaction.Rollback();
        }
#pragma warning disable CA1031 // SQLite may have rolled back already (e.g. after SQLITE_FULL); nothing more to undo.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static string Describe(Exception ex) => ex switch
    {
        SqliteException { SqliteErrorCode: 13 } => "The commit failed: the disk or the database is full (SQLITE_FULL). Nothing of it was applied. " + ex.Message,
        SqliteException { SqliteErrorCode: 8 } => "The commit failed: the database is read-only (SQLITE_READONLY). Nothing of it was applied. " + ex.Message,
        SqliteException { SqliteErrorCode: 10 } => "The commit failed: an I/O error (SQLITE_IOERR). Nothing of it was applied. " + ex.Message,
        SqliteException => "The commit failed in SQLite. Nothing of it was applied. " + ex.Message,
        InvalidOperationException => "The commit failed: the store's connection is closed or unusable. Nothing of it was applied. " + ex.Message,
        _ => "The commit failed. Nothing of it was applied. " + ex.Message,
    };

    private sealed class Pending
    {
        internal Pending(DocumentCommit? commit, Action<SqliteConnection>? action)
        {
            Commit = commit;
            Action = action;
        }

        internal DocumentCommit? Commit { get; }

        internal Action<SqliteConnection>? Action { get; }

        internal TaskCompletionSource<CommitResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
