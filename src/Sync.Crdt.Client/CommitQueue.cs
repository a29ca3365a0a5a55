using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Client;

/// <summary>Commits a document's records to the client store in the order they were queued (one loop per document).</summary>
internal sealed class CommitQueue
{
    private readonly Channel<(ReadOnlyMemory<byte> Record, bool IsSnapshot, TaskCompletionSource Done, Action? AfterCommit)> _queue =
        Channel.CreateUnbounded<(ReadOnlyMemory<byte>, bool, TaskCompletionSource, Action?)>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Starts the loop.</summary>
    /// <param name="store">The client store.</param>
    /// <param name="document">The document's name.</param>
    /// <param name="head">The document's head when it was loaded (needed only for <see cref="EnqueueSnapshot"/>).</param>
    public CommitQueue(IDocumentStore store, string document, long head = 0)
    {
        _ = Task.Run(async () =>
        {
            await foreach ((ReadOnlyMemory<byte> record, bool isSnapshot, TaskCompletionSource done, Action? after) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    if (!isSnapshot)
                    {
                        head = (await store.CommitAsync(new DocumentCommit(document) { Appends = [record] }).ConfigureAwait(false)).Head;
                    }
                    else if (head > 0)
                    {
                        // The snapshot is the state after every record queued before it: all are committed through head.
                        await store.CommitAsync(new DocumentCommit(document)
                        {
                            Snapshot = new StoredSnapshot(head, record),
                            TruncateThrough = head,
                            ExpectedHead = head,
                        }).ConfigureAwait(false);
                    }

                    after?.Invoke();
                    done.TrySetResult();
                }
                catch (Exception e) when (e is DocumentStoreException or DocumentConflictException or ObjectDisposedException or InvalidOperationException)
                {
                    done.TrySetException(e);
                }
            }
        });
    }

    /// <summary>Queues a record (call under the document's lock, so the order is the document's order).</summary>
    public Task Enqueue(ReadOnlyMemory<byte> record, Action? afterCommit = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite((record, false, done, afterCommit));
        return done.Task;
    }

    /// <summary>Queues a snapshot of the state after every record queued so far; it replaces those records in the store
    /// (call under the document's lock).</summary>
    public Task EnqueueSnapshot(ReadOnlyMemory<byte> snapshot)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queue.Writer.TryWrite((snapshot, true, done, null));
        return done.Task;
    }
}
