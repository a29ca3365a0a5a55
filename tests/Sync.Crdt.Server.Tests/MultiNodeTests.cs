using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sync.Crdt.Client;
using Sync.Crdt.Counters;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Server.Tests;

/// <summary>Two or three server nodes (real Kestrel servers on loopback) sharing one store, as a multi-node deployment
/// on PostgreSQL does: a node's cursor never skips another node's records, and compaction under concurrent writers
/// neither fails a batch nor disturbs the clients.</summary>
public sealed class MultiNodeTests
{
    private static readonly ReplicatedKey<GCounter> Views = new("views");

    [Fact]
    public async Task OwnCommit_AfterAnotherNodesCommit_AppliesTheSkippedRecordsInsteadOfJumpingTheCursor()
    {
        // No change feed at all: node A learns of node B's record only through the gap its own commit reveals. Setting the
        // cursor to its own head (the old behaviour) would hide B's record from A's clients for ever.
        var shared = new InMemoryDocumentStore();
        await using TestServer a = await TestServer.StartAsync(store: shared);
        await using TestServer b = await TestServer.StartAsync(store: shared);
        await using CrdtSyncClient alice = a.CreateClient("alice");
        await using CrdtSyncClient bob = b.CreateClient("bob");
        ValuesDocument onA = await alice.OpenValuesAsync("gap");
        ValuesDocument onB = await bob.OpenValuesAsync("gap");
        alice.Start();
        bob.Start();
        await Task.WhenAll(onA.WaitForSyncedAsync(), onB.WaitForSyncedAsync()).Within();

        await IncrementAsync(onB, 5);
        await onB.WaitForAcknowledgedAsync().Within();
        await IncrementAsync(onA, 1);
        await onA.WaitForAcknowledgedAsync().Within();

        await Eventually.HoldsAsync(() => Value(onA) == 6, () => $"alice on node A sees {Value(onA)}, expected 6 (bob's 5 went through node B)");
        Assert.Null(onA.LastError);
    }

    [Fact]
    public async Task OwnCommit_AfterAnotherNodeCompactedPastTheCursor_ReloadsAndItsClientsResyncToTheWholeState()
    {
        var shared = new InMemoryDocumentStore();
        await using TestServer a = await TestServer.StartAsync(store: shared, configure: o => o.SnapshotEveryRecords = 1);
        await using TestServer b = await TestServer.StartAsync(store: shared, configure: o => o.SnapshotEveryRecords = 1);
        await using CrdtSyncClient alice = a.CreateClient("alice");
        await using CrdtSyncClient bob = b.CreateClient("bob");
        ValuesDocument onA = await alice.OpenValuesAsync("compacted");
        ValuesDocument onB = await bob.OpenValuesAsync("compacted");
        alice.Start();
        bob.Start();
        await Task.WhenAll(onA.WaitForSyncedAsync(), onB.WaitForSyncedAsync()).Within();

        for (int i = 0; i < 3; i++)
        {
            await IncrementAsync(onB, 1);
            await onB.WaitForAcknowledgedAsync().Within();
        }

        // Node B snapshotted and truncated through its head; node A's cursor (0) is behind the retained log.
        Assert.NotNull((await shared.LoadAsync("compacted")).Snapshot);
        await IncrementAsync(onA, 1);
        await onA.WaitForAcknowledgedAsync().Within();

        // Node A's clients were asked to reopen (their stream had a hole) and now hold the whole state.
        await Eventually.HoldsAsync(() => Value(onA) == 4, () => $"alice on node A sees {Value(onA)}, expected 4");
        Assert.Null(onB.LastError);
    }

    [Fact]
    public async Task TwoNodesWritingConcurrently_WithFrequentCompaction_ConvergeWithoutFailingAnyBatch()
    {
        // One store shared by both nodes with an in-process change feed (the PostgreSQL store's doorbell, in memory).
        // Node A's snapshot commits are slowed down, so node B's commits land between A's append and A's compaction:
        // the old compaction (ExpectedHead = own head) conflicted there and closed every client of A.
        await using var shared = new NotifyingDocumentStore(new InMemoryDocumentStore());
        await using var slowSnapshots = new SlowSnapshotStore(shared, TimeSpan.FromMilliseconds(15));
        const int PerClient = 40;
        var storeFailures = new StoreFailureCounter();
        await using TestServer a = await TestServer.StartAsync(store: slowSnapshots, configure: o => o.SnapshotEveryRecords = 3, services: s => s.AddSingleton<IDocumentChangeFeed>(shared).AddSingleton<ILoggerProvider>(storeFailures));
        await using TestServer b = await TestServer.StartAsync(store: shared, configure: o => o.SnapshotEveryRecords = 3, services: s => s.AddSingleton<IDocumentChangeFeed>(shared).AddSingleton<ILoggerProvider>(storeFailures));
        var clients = new List<CrdtSyncClient>();
        var documents = new List<ValuesDocument>();
        try
        {
            foreach ((TestServer node, string name) in new[] { (a, "a1"), (a, "a2"), (b, "b1"), (b, "b2") })
            {
                CrdtSyncClient client = node.CreateClient(name);
                clients.Add(client);
                documents.Add(await client.OpenValuesAsync("busy"));
                client.Start();
            }

            await Task.WhenAll(documents.Select(d => d.WaitForSyncedAsync())).Within();
            await Task.WhenAll(documents.Select(async d =>
            {
                for (int i = 0; i < PerClient; i++)
                {
                    await IncrementAsync(d, 1);
                    if (i % 4 == 3)
                    {
                        await d.WaitForAcknowledgedAsync().Within();
                    }
                }

                await d.WaitForAcknowledgedAsync().Within();
            }));

            int total = PerClient * documents.Count;
            await Eventually.HoldsAsync(() => documents.All(d => Value(d) == total), () => string.Join(", ", documents.Select(Value)) + $" (expected {total} everywhere)");
            Assert.All(documents, d => Assert.Null(d.LastError));
            Assert.Equal(0, storeFailures.Count);
            Assert.NotNull((await shared.LoadAsync("busy")).Snapshot);
            Assert.True(slowSnapshots.SnapshotCommits > 0, "node A never compacted");

            // A third node loads the document from the store (snapshot plus retained log): every acknowledged increment is there.
            await using TestServer c = await TestServer.StartAsync(store: shared);
            await using CrdtSyncClient reader = c.CreateClient("reader");
            ValuesDocument fresh = await reader.OpenValuesAsync("busy");
            reader.Start();
            await fresh.WaitForSyncedAsync().Within();
            await Eventually.HoldsAsync(() => Value(fresh) == total, () => $"a fresh node sees {Value(fresh)}, expected {total}");
        }
        finally
        {
            foreach (CrdtSyncClient client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static async Task IncrementAsync(ValuesDocument document, long by)
    {
        await document.DefineAsync(Views, GCounter.Empty);
        await document.UpdateAsync(Views, (c, r, out d) => c.Increment(r, by, out d));
    }

    private static long Value(ValuesDocument document) => document.TryGet(Views, out GCounter? counter) ? counter.Value : 0;

    /// <summary>The shared store, with every commit that carries a snapshot delayed before it reaches the store.</summary>
    private sealed class SlowSnapshotStore(IDocumentStore inner, TimeSpan delay) : IDocumentStore
    {
        private int _snapshotCommits;

        public int SnapshotCommits => Volatile.Read(ref _snapshotCommits);

        public ValueTask<StoredDocument> LoadAsync(string document, CancellationToken cancellationToken = default) => inner.LoadAsync(document, cancellationToken);

        public ValueTask<LogSlice> ReadLogAsync(string document, long afterPosition, int maxRecords, CancellationToken cancellationToken = default) =>
            inner.ReadLogAsync(document, afterPosition, maxRecords, cancellationToken);

        public async Task<CommitResult> CommitAsync(DocumentCommit commit, CancellationToken cancellationToken = default)
        {
            if (commit.Snapshot is not null)
            {
                Interlocked.Increment(ref _snapshotCommits);
                await Task.Delay(delay, cancellationToken);
            }

            return await inner.CommitAsync(commit, cancellationToken);
        }

        public ValueTask<IReadOnlyList<string>> ListDocumentsAsync(CancellationToken cancellationToken = default) => inner.ListDocumentsAsync(cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Counts the server's store-failure log entries (a failed batch or compaction), whichever node logged them.</summary>
    private sealed class StoreFailureCounter : ILoggerProvider, ILogger
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id is 5 or 9)
            {
                Interlocked.Increment(ref _count);
            }
        }

        public void Dispose()
        {
        }
    }
}
