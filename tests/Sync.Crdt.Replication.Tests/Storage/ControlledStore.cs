using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Replication.Tests.Storage;

/// <summary>
/// Wraps a real store: holds commits until <see cref="Release"/> (to observe what waits for durability), injects
/// failures, counts commits. Shared by the durable-replica tests of every store.
/// </summary>
public sealed class ControlledStore : IDocumentStore
{
    private readonly IDocumentStore _inner;
    private TaskCompletionSource _gate = CreateOpen();
    private int _commits;

    public ControlledStore(IDocumentStore inner) => _inner = inner;

    public IDocumentStore Inner => _inner;

    /// <summary>Gets the number of commits handed to the inner store.</summary>
    public int CommitCount => Volatile.Read(ref _commits);

    /// <summary>Gets or sets a fault: return an exception to fail a commit (nothing reaches the inner store).</summary>
    public Func<DocumentCommit, Exception?>? Fault { get; set; }

    /// <summary>Makes later commits wait until <see cref="Release"/>.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets waiting and later commits through.</summary>
    public void Release() => _gate.TrySetResult();

    public ValueTask<StoredDocument> LoadAsync(string document, CancellationToken cancellationToken = default) => _inner.LoadAsync(document, cancellationToken);

    public ValueTask<LogSlice> ReadLogAsync(string document, long afterPosition, int maxRecords, CancellationToken cancellationToken = default) => _inner.ReadLogAsync(document, afterPosition, maxRecords, cancellationToken);

    public async Task<CommitResult> CommitAsync(DocumentCommit commit, CancellationToken cancellationToken = default)
    {
        await _gate.Task.ConfigureAwait(false);
        if (Fault?.Invoke(commit) is { } fault)
        {
            throw fault;
        }

        Interlocked.Increment(ref _commits);
        return await _inner.CommitAsync(commit, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<IReadOnlyList<string>> ListDocumentsAsync(CancellationToken cancellationToken = default) => _inner.ListDocumentsAsync(cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();

    private static TaskCompletionSource CreateOpen()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}
