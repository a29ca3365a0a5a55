using System;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Client;

/// <summary>Commits a document's records to the client store in the order they were queued (one loop per document).</summary>
internal sealed class CommitQueue
{
    private readonly Channel<(ReadOnlyMemory<byte> Record, TaskCompletionSource Done, Action? AfterCommit)> _queue =
        Channel.CreateUnbounded<(ReadOnlyMemory<byte>, TaskCompletionSource, Action?)>(new UnboundedChannelOptions { SingleReader = true });

    public CommitQueue(IDocumentStore store, string document)
    {
        _ = Task.Run(async () =>
        {
            await foreach ((ReadOnlyMemory<byte> record, TaskCompletionSource done, Action? after) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                try
                {
                    await store.CommitAsync(new DocumentCommit(document) { Appends = [record] }).ConfigureAwait(false);
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
        _queue.Writer.TryWrite((record, done, afterCommit));
        return done.Task;
    }
}
