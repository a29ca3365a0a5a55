using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Replication.Tests.Storage;

public class DocumentLogFollowerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Follower_SignaledCommits_DeliversEveryRecordOnceInOrder()
    {
        await using var store = new NotifyingDocumentStore(new InMemoryDocumentStore());
        var received = new ConcurrentQueue<string>();
        await using var follower = Follow(store, store, received, new DocumentLogFollowerOptions { PollInterval = Timeout.InfiniteTimeSpan, BatchSize = 7 });
        var expected = new List<string>();
        var random = new Random(42);
        for (int i = 0; i < 60; i++)
        {
            string[] batch = [.. Enumerable.Range(0, random.Next(1, 5)).Select(j => $"{i}.{j}")];
            expected.AddRange(batch);
            await store.CommitAsync(new DocumentCommit("doc") { Appends = [.. batch.Select(Bytes)] });
        }

        await WaitUntilAsync(() => follower.Cursor == expected.Count);
        Assert.Equal(expected, received);
        Assert.True(follower.Signals > 0);
        Assert.Equal(0, follower.Reloads);
    }

    [Fact]
    public async Task Follower_NoSignalsAtAll_FindsCommitsByPolling()
    {
        var memory = new InMemoryDocumentStore();
        var silent = new SilentFeed();
        var received = new ConcurrentQueue<string>();
        await using var follower = Follow(memory, silent, received, new DocumentLogFollowerOptions { PollInterval = TimeSpan.FromMilliseconds(20) });
        await memory.CommitAsync(new DocumentCommit("doc") { Appends = [Bytes("a"), Bytes("b")] });
        await WaitUntilAsync(() => follower.Cursor == 2);
        await memory.CommitAsync(new DocumentCommit("doc") { Appends = [Bytes("c")] });
        await WaitUntilAsync(() => follower.Cursor == 3);
        Assert.Equal(["a", "b", "c"], received);
        Assert.Equal(0, follower.Signals);
    }

    [Fact]
    public async Task Follower_Resync_ReReadsWhatWasCommittedWithoutASignal()
    {
        var memory = new InMemoryDocumentStore();
        await using var store = new NotifyingDocumentStore(memory, ownsInner: false);
        var received = new ConcurrentQueue<string>();
        await using var follower = Follow(store, store, received, new DocumentLogFollowerOptions { PollInterval = Timeout.InfiniteTimeSpan });
        await WaitUntilAsync(() => follower.Reads >= 1);
        await memory.CommitAsync(new DocumentCommit("doc") { Appends = [Bytes("behind the feed's back")] }); // no signal
        long readsBefore = follower.Reads;
        store.Resync();
        await WaitUntilAsync(() => follower.Cursor == 1);
        Assert.Equal(["behind the feed's back"], received);
        Assert.True(follower.Reads > readsBefore);
    }

    [Fact]
    public async Task Follower_RecordsCompactedAwayBeforeItRead_ReloadsTheWholeDocument()
    {
        await using var store = new NotifyingDocumentStore(new InMemoryDocumentStore());
        await store.CommitAsync(new DocumentCommit("doc") { Appends = [Bytes("1"), Bytes("2"), Bytes("3")] });
        await store.CommitAsync(new DocumentCommit("doc") { Appends = [Bytes("4")], Snapshot = new StoredSnapshot(3, Bytes("state@3")), TruncateThrough = 3 });
        var reloads = new ConcurrentQueue<StoredDocument>();
        var received = new ConcurrentQueue<string>();
        await using var follower = new DocumentLogFollower(
            store,
            store,
            "doc",
            1,
            (records, _) => Enqueue(received, records),
            (document, _) => { reloads.Enqueue(document); return ValueTask.CompletedTask; },
            new DocumentLogFollowerOptions { PollInterval = Timeout.InfiniteTimeSpan });
        await WaitUntilAsync(() => follower.Cursor == 4);
        StoredDocument reloaded = Assert.Single(reloads);
        Assert.Equal("state@3", Text(reloaded.Snapshot!.Payload));
        Assert.Equal([4L], reloaded.Records.Select(r => r.Position));
        Assert.Empty(received); // record 4 came with the reload, not again as a record

        await store.CommitAsync(new DocumentCommit("doc") { Appends = [Bytes("5")] });
        await WaitUntilAsync(() => follower.Cursor == 5);
        Assert.Equal(["5"], received);
        Assert.Equal(1, follower.Reloads);
    }

    [Fact]
    public async Task Follower_StoreFailsToRead_RetriesWithoutLosingOrRepeatingRecords()
    {
        var flaky = new FlakyReadStore(new InMemoryDocumentStore());
        await using var store = new NotifyingDocumentStore(flaky);
        await store.CommitAsync(new DocumentCommit("doc") { Appends = [Bytes("a")] });
        flaky.FailNextReads(3);
        var received = new ConcurrentQueue<string>();
        await using var follower = Follow(store, store, received, new DocumentLogFollowerOptions { PollInterval = Timeout.InfiniteTimeSpan, RetryDelay = TimeSpan.FromMilliseconds(10) });
        await WaitUntilAsync(() => follower.Cursor == 1);
        await store.CommitAsync(new DocumentCommit("doc") { Appends = [Bytes("b")] });
        await WaitUntilAsync(() => follower.Cursor == 2);
        Assert.Equal(["a", "b"], received);
        Assert.Equal(3, follower.StoreFailures);
    }

    [Fact]
    public async Task Follower_CallbackThrows_CompletionFaultsWithIt()
    {
        await using var store = new NotifyingDocumentStore(new InMemoryDocumentStore());
        await store.CommitAsync(new DocumentCommit("doc") { Appends = [Bytes("a")] });
        await using var follower = new DocumentLogFollower(store, store, "doc", 0, (_, _) => throw new InvalidOperationException("consumer bug"), (_, _) => ValueTask.CompletedTask);
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => follower.Completion.WaitAsync(Patience));
        Assert.Equal("consumer bug", error.Message);
        Assert.Equal(0, follower.Cursor);
    }

    [Fact]
    public async Task Dispose_StopsTheLoopAndTheSubscription()
    {
        await using var store = new NotifyingDocumentStore(new InMemoryDocumentStore());
        var received = new ConcurrentQueue<string>();
        DocumentLogFollower follower = Follow(store, store, received, new DocumentLogFollowerOptions { PollInterval = Timeout.InfiniteTimeSpan });
        await follower.DisposeAsync();
        await follower.DisposeAsync();
        Assert.True(follower.Completion.IsCompletedSuccessfully);
        await store.CommitAsync(new DocumentCommit("doc") { Appends = [Bytes("late")] });
        Assert.Equal(0, follower.Cursor);
        Assert.Empty(received);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    private static DocumentLogFollower Follow(IDocumentStore store, IDocumentChangeFeed feed, ConcurrentQueue<string> received, DocumentLogFollowerOptions options) =>
        new(store, feed, "doc", 0, (records, _) => Enqueue(received, records), (_, _) => throw new InvalidOperationException("unexpected reload"), options);

    private static ValueTask Enqueue(ConcurrentQueue<string> received, ImmutableArray<LogRecord> records)
    {
        foreach (LogRecord record in records)
        {
            received.Enqueue(Text(record.Payload));
        }

        return ValueTask.CompletedTask;
    }

    private static ReadOnlyMemory<byte> Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    private static string Text(ReadOnlyMemory<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes.Span);

    private sealed class SilentFeed : IDocumentChangeFeed
    {
        public IDisposable Subscribe(string document, Action<DocumentChange> onChange) => new CancellationTokenSource();
    }

    private sealed class FlakyReadStore(IDocumentStore inner) : IDocumentStore
    {
        private int _failReads;

        public void FailNextReads(int count) => Volatile.Write(ref _failReads, count);

        public ValueTask<StoredDocument> LoadAsync(string document, CancellationToken cancellationToken = default) => inner.LoadAsync(document, cancellationToken);

        public ValueTask<LogSlice> ReadLogAsync(string document, long afterPosition, int maxRecords, CancellationToken cancellationToken = default) =>
            Interlocked.Decrement(ref _failReads) >= 0
                ? ValueTask.FromException<LogSlice>(new DocumentStoreException("simulated read failure"))
                : inner.ReadLogAsync(document, afterPosition, maxRecords, cancellationToken);

        public Task<CommitResult> CommitAsync(DocumentCommit commit, CancellationToken cancellationToken = default) => inner.CommitAsync(commit, cancellationToken);

        public ValueTask<IReadOnlyList<string>> ListDocumentsAsync(CancellationToken cancellationToken = default) => inner.ListDocumentsAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
