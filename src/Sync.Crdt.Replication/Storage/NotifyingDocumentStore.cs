using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication.Storage;

/// <summary>
/// Any <see cref="IDocumentStore"/> plus an in-process <see cref="IDocumentChangeFeed"/>: after each successful commit
/// that appended records, the subscribers of its document get a Committed signal. For a single process (an embedded
/// server on SQLite, tests on <see cref="InMemoryDocumentStore"/>), where every writer goes through this object; a
/// store shared by several processes needs the database's own feed (for example the PostgreSQL store's listener).
/// </summary>
/// <remarks>
/// <para>The signal is raised after the inner store's commit task completed, on the committing thread, before this
/// commit's task completes: a caller that awaited its commit knows the subscribers were signaled.</para>
/// <para>Thread-safe when the inner store is. Costs: the inner store's, plus O(subscribers of the document) per commit.</para>
/// </remarks>
[Mutable]
public sealed class NotifyingDocumentStore : IDocumentStore, IDocumentChangeFeed
{
    private readonly IDocumentStore _inner;
    private readonly DocumentChangeDispatcher _dispatcher = new();
    private readonly bool _ownsInner;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The store every call goes to.</param>
    /// <param name="ownsInner">Whether <see cref="DisposeAsync"/> disposes <paramref name="inner"/> too.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is <see langword="null"/>.</exception>
    public NotifyingDocumentStore(IDocumentStore inner, bool ownsInner = true)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _ownsInner = ownsInner;
    }

    /// <summary>Gets the wrapped store.</summary>
    public IDocumentStore Inner => _inner;

    /// <inheritdoc />
    public ValueTask<StoredDocument> LoadAsync(string document, CancellationToken cancellationToken = default) => _inner.LoadAsync(document, cancellationToken);

    /// <inheritdoc />
    public ValueTask<LogSlice> ReadLogAsync(string document, long afterPosition, int maxRecords, CancellationToken cancellationToken = default) =>
        _inner.ReadLogAsync(document, afterPosition, maxRecords, cancellationToken);

    /// <inheritdoc />
    public async Task<CommitResult> CommitAsync(DocumentCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        CommitResult result = await _inner.CommitAsync(commit, cancellationToken).ConfigureAwait(false);
        if (result.AppendedCount > 0)
        {
            _dispatcher.Publish(DocumentChange.Committed(commit.Document, result.Head));
        }

        return result;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListDocumentsAsync(CancellationToken cancellationToken = default) => _inner.ListDocumentsAsync(cancellationToken);

    /// <inheritdoc />
    public IDisposable Subscribe(string document, Action<DocumentChange> onChange) => _dispatcher.Subscribe(document, onChange);

    /// <summary>Signals every subscriber to re-read (for example after the inner store was restored from a backup).</summary>
    public void Resync() => _dispatcher.Publish(DocumentChange.Resync);

    /// <summary>Drops the subscriptions and, when it owns it, disposes the inner store.</summary>
    /// <returns>A task that completes when the inner store is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        _dispatcher.Dispose();
        if (_ownsInner)
        {
            await _inner.DisposeAsync().ConfigureAwait(false);
        }
    }
}
