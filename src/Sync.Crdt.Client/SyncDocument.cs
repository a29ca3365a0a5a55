using System;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Protocol;

namespace Sync.Crdt.Client;

/// <summary>A document opened through a <see cref="CrdtSyncClient"/>: local edits apply at once, reach the server when
/// connected, and stay pending until the server acknowledges them as durable.</summary>
/// <remarks>Thread-safe: every member may be called from any thread. <see cref="Changed"/> is raised on the thread that
/// applied the change (the client's network thread for remote changes), outside the document's lock.</remarks>
public abstract class SyncDocument
{
    private readonly Lock _waitLock = new();
    private TaskCompletionSource? _acknowledged;
    private TaskCompletionSource? _synced;

    private protected SyncDocument(CrdtSyncClient client, string name, DocumentKind kind)
    {
        Client = client;
        Name = name;
        Kind = kind;
    }

    /// <summary>The document name.</summary>
    public string Name { get; }

    /// <summary>The document kind.</summary>
    public DocumentKind Kind { get; }

    /// <summary><see langword="true"/> while local changes wait for the server's acknowledgement.</summary>
    public abstract bool HasPendingChanges { get; }

    /// <summary><see langword="true"/> once the handshake of the current connection completed: the document holds
    /// everything the server held when it answered the open, so every change the server acknowledged before then (for
    /// replicated values, only once the server's answer that follows the synced frame has been applied).</summary>
    public bool IsSynced { get; private set; }

    /// <summary>The last error the server reported on this document, if any.</summary>
    public SyncErrorCode? LastError { get; private set; }

    /// <summary>Raised after the content changed (locally or remotely).</summary>
    public event EventHandler? Changed;

    private protected CrdtSyncClient Client { get; }

    private protected object Gate { get; } = new();

    internal long Channel { get; set; }

    /// <summary>Consecutive opens the server refused with StoreUnavailable since the last successful handshake
    /// (guarded by the client's lock); sets the delay before the next reopen.</summary>
    internal int StoreFailures { get; set; }

    /// <summary>Completes once no local change is pending (every one was acknowledged by the server as durable).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when nothing is pending.</returns>
    public Task WaitForAcknowledgedAsync(CancellationToken cancellationToken = default)
    {
        lock (_waitLock)
        {
            if (!HasPendingChanges)
            {
                return Task.CompletedTask;
            }

            _acknowledged ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _acknowledged.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Completes once the document finished a handshake with the server on the current connection.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when synced.</returns>
    public Task WaitForSyncedAsync(CancellationToken cancellationToken = default)
    {
        lock (_waitLock)
        {
            if (IsSynced)
            {
                return Task.CompletedTask;
            }

            _synced ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _synced.Task.WaitAsync(cancellationToken);
        }
    }

    internal abstract ReadOnlyMemory<byte> CreateHandshake();

    internal virtual ValueTask LoadAsync(Replication.Storage.IDocumentStore store, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    internal abstract void OnSynced(ReadOnlyMemory<byte> payload);

    internal abstract void OnUpdate(ReadOnlyMemory<byte> payload);

    internal virtual void OnAck(long sequence, long revision)
    {
    }

    internal virtual void OnPresence(Causality.ReplicaId replica, ReadOnlyMemory<byte> payload)
    {
    }

    internal virtual void OnDisconnected()
    {
        IsSynced = false;
    }

    internal void OnError(SyncErrorCode code)
    {
        LastError = code;
        IsSynced = false;
    }

    private protected void MarkSynced()
    {
        IsSynced = true;
        LastError = null;
        lock (_waitLock)
        {
            _synced?.TrySetResult();
            _synced = null;
        }

        Client.DocumentSynced();
    }

    private protected void RaiseChanged()
    {
        CheckAcknowledged();
        Changed?.Invoke(this, EventArgs.Empty);
    }

    private protected void CheckAcknowledged()
    {
        if (!HasPendingChanges)
        {
            lock (_waitLock)
            {
                _acknowledged?.TrySetResult();
                _acknowledged = null;
            }
        }
    }
}
