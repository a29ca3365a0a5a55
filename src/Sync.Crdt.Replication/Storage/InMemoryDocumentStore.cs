using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication.Storage;

/// <summary>
/// An <see cref="IDocumentStore"/> in memory: the reference implementation of the store contract, for tests of anything
/// built on a store (durable replicas, servers) and for fault tests: commits can be made to fail on demand, and the
/// whole store can be copied to simulate a backup or a cloned machine.
/// </summary>
/// <remarks>
/// <para>"Durable" here means "kept by this object": a replica reopened on the same instance sees every commit that
/// completed, exactly as it would after a process restart on a real store. Payloads are copied on commit, so a caller
/// that reuses its buffers cannot change what was committed.</para>
/// <para><b>Faults.</b> <see cref="FailNextCommits"/> makes the next commits throw <see cref="DocumentStoreException"/>
/// without applying anything; <see cref="CommitFault"/> decides per commit. <see cref="Clone"/> copies every document.</para>
/// <para><b>Thread safety.</b> Every member is thread-safe; one lock serializes commits and reads, so commits are
/// applied in the order of their calls. Costs: a commit is O(appends + metadata + truncated records); a load copies
/// the document's record list, O(records).</para>
/// </remarks>
[Mutable]
public sealed class InMemoryDocumentStore : IDocumentStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Document> _documents = new(StringComparer.Ordinal);
    private int _failNext;
    private long _commitCount;
    private bool _disposed;

    /// <summary>
    /// Gets or sets a hook called for every commit before it is applied: return an exception to make the commit throw it
    /// (nothing is applied), or <see langword="null"/> to let it proceed. Called under the store's lock: keep it short and
    /// do not call back into the store.
    /// </summary>
    public Func<DocumentCommit, Exception?>? CommitFault { get; set; }

    /// <summary>Gets the number of commits applied successfully so far.</summary>
    public long CommitCount => Interlocked.Read(ref _commitCount);

    /// <summary>Makes the next <paramref name="count"/> commits fail with a <see cref="DocumentStoreException"/> (simulated I/O error), applying nothing.</summary>
    /// <param name="count">How many commits fail (0 cancels earlier requests).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public void FailNextCommits(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            _failNext = count;
        }
    }

    /// <summary>Returns an independent copy of every document, as a backup, a restored phone or a cloned virtual machine would have it.</summary>
    /// <returns>The copy (without fault settings).</returns>
    public InMemoryDocumentStore Clone()
    {
        var copy = new InMemoryDocumentStore();
        lock (_gate)
        {
            foreach (KeyValuePair<string, Document> entry in _documents)
            {
                copy._documents.Add(entry.Key, entry.Value.Copy());
            }
        }

        return copy;
    }

    /// <inheritdoc />
    public ValueTask<StoredDocument> LoadAsync(string document, CancellationToken cancellationToken = default)
    {
        DocumentCommit.ThrowIfInvalidName(document, nameof(document));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfDisposed();
            if (!_documents.TryGetValue(document, out Document? stored))
            {
                return ValueTask.FromResult(new StoredDocument(document, 0, null, [], ImmutableSortedDictionary<string, ReadOnlyMemory<byte>>.Empty.WithComparers(StringComparer.Ordinal)));
            }

            return ValueTask.FromResult(new StoredDocument(document, stored.Head, stored.Snapshot, [.. stored.Records], stored.Metadata));
        }
    }

    /// <inheritdoc />
    public ValueTask<LogSlice> ReadLogAsync(string document, long afterPosition, int maxRecords, CancellationToken cancellationToken = default)
    {
        DocumentCommit.ThrowIfInvalidName(document, nameof(document));
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecords, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfDisposed();
            if (!_documents.TryGetValue(document, out Document? stored))
            {
                return ValueTask.FromResult(new LogSlice([], 1, 0));
            }

            var records = ImmutableArray.CreateBuilder<LogRecord>();
            foreach (LogRecord record in stored.Records)
            {
                if (record.Position > afterPosition)
                {
                    records.Add(record);
                    if (records.Count == maxRecords)
                    {
                        break;
                    }
                }
            }

            long start = stored.Records.Count > 0 ? stored.Records[0].Position : stored.Head + 1;
            return ValueTask.FromResult(new LogSlice(records.DrainToImmutable(), start, stored.Head));
        }
    }

    /// <inheritdoc />
    public Task<CommitResult> CommitAsync(DocumentCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<CommitResult>(cancellationToken);
        }

        try
        {
            return Task.FromResult(Apply(commit));
        }
        catch (Exception ex) when (ex is DocumentStoreException or ObjectDisposedException)
        {
            return Task.FromException<CommitResult>(ex);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string>> ListDocumentsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfDisposed();
            var names = new List<string>(_documents.Keys);
            names.Sort(StringComparer.Ordinal);
            return ValueTask.FromResult<IReadOnlyList<string>>(names);
        }
    }

    /// <summary>Closes the store: later calls throw <see cref="ObjectDisposedException"/>. The data is kept, so a test may keep a reference to read it.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Reopens a disposed store (a process restart in a test): the documents are as they were.</summary>
    public void Reopen()
    {
        lock (_gate)
        {
            _disposed = false;
        }
    }

    private CommitResult Apply(DocumentCommit commit)
    {
        lock (_gate)
        {
            ThrowIfDisposed();
            _documents.TryGetValue(commit.Document, out Document? stored);
            long head = stored?.Head ?? 0;
            long newHead = commit.Verify(head, stored?.Snapshot?.Position);
            if (_failNext > 0)
            {
                _failNext--;
                throw new DocumentStoreException($"Simulated I/O failure committing to '{commit.Document}'.");
            }

            if (CommitFault?.Invoke(commit) is { } fault)
            {
                throw fault;
            }

            if (stored is null)
            {
                stored = new Document();
                _documents.Add(commit.Document, stored);
            }

            long position = head;
            foreach (ReadOnlyMemory<byte> payload in commit.Appends)
            {
                stored.Records.Add(new LogRecord(++position, payload.ToArray()));
            }

            stored.Head = newHead;
            ImmutableSortedDictionary<string, ReadOnlyMemory<byte>>.Builder metadata = stored.Metadata.ToBuilder();
            foreach (KeyValuePair<string, ReadOnlyMemory<byte>> entry in commit.SetMetadata)
            {
                metadata[entry.Key] = entry.Value.ToArray();
            }

            foreach (string key in commit.RemoveMetadata)
            {
                metadata.Remove(key);
            }

            stored.Metadata = metadata.ToImmutable();
            if (commit.Snapshot is { } snapshot)
            {
                stored.Snapshot = new StoredSnapshot(snapshot.Position, snapshot.Payload.ToArray());
            }

            if (commit.TruncateThrough is { } through)
            {
                stored.Records.RemoveAll(record => record.Position <= through);
            }

            _commitCount++;
            return new CommitResult(head + 1, newHead);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private sealed class Document
    {
        public long Head { get; set; }

        public StoredSnapshot? Snapshot { get; set; }

        public List<LogRecord> Records { get; } = [];

        public ImmutableSortedDictionary<string, ReadOnlyMemory<byte>> Metadata { get; set; } = ImmutableSortedDictionary<string, ReadOnlyMemory<byte>>.Empty.WithComparers(StringComparer.Ordinal);

        public Document Copy()
        {
            var copy = new Document { Head = Head, Snapshot = Snapshot, Metadata = Metadata };
            copy.Records.AddRange(Records);
            return copy;
        }
    }
}
