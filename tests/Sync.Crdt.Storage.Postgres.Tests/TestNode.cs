using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Postgres.Tests;

/// <summary>
/// A "node" as a server would run one: its own <see cref="PostgresDocumentStore"/> (own pool, own listener), followers on
/// documents that collect every record they are handed, and a writer that appends numbered records and resolves uncertain
/// commits (connection lost during COMMIT) by reading the log, so nothing is appended twice.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    private readonly List<DocumentLogFollower> _followers = [];
    private readonly ConcurrentDictionary<string, ConcurrentQueue<LogRecord>> _received = new(StringComparer.Ordinal);

    private TestNode(PostgresDocumentStore store) => Store = store;

    public PostgresDocumentStore Store { get; }

    public long CommitFailures;

    public static async Task<TestNode> StartAsync(string schema, string name, PostgresNotifyMode mode = PostgresNotifyMode.AfterCommit) =>
        new(await PostgresDocumentStore.OpenAsync(PostgresTestDatabase.Options(schema, name, mode)));

    /// <summary>Follows <paramref name="document"/> from the start; <paramref name="poll"/> null disables the safety poll (only the feed wakes it).</summary>
    public DocumentLogFollower Follow(string document, TimeSpan? poll = null)
    {
        ConcurrentQueue<LogRecord> queue = _received.GetOrAdd(document, _ => new ConcurrentQueue<LogRecord>());
        var follower = new DocumentLogFollower(
            Store,
            Store,
            document,
            0,
            (records, _) =>
            {
                foreach (LogRecord record in records)
                {
                    queue.Enqueue(record);
                }

                return ValueTask.CompletedTask;
            },
            (_, _) => throw new InvalidOperationException("no compaction in this test: a reload is a bug"),
            new DocumentLogFollowerOptions { PollInterval = poll ?? Timeout.InfiniteTimeSpan, RetryDelay = TimeSpan.FromMilliseconds(50) });
        _followers.Add(follower);
        return follower;
    }

    public IReadOnlyList<LogRecord> Received(string document) => _received.TryGetValue(document, out ConcurrentQueue<LogRecord>? queue) ? [.. queue] : [];

    /// <summary>Appends <c>{document}:{i}</c> for i in [0, count) one commit at a time; returns the acknowledged payloads in order.</summary>
    public async Task<List<string>> WriteAsync(string document, int count, TimeSpan pause, CancellationToken cancellationToken = default)
    {
        var acknowledged = new List<string>();
        long head = (await Store.LoadAsync(document, cancellationToken)).Head;
        for (int i = 0; i < count;)
        {
            string payload = $"{document}:{i}";
            try
            {
                CommitResult result = await Store.CommitAsync(new DocumentCommit(document) { Appends = [System.Text.Encoding.UTF8.GetBytes(payload)], ExpectedHead = head }, cancellationToken);
                head = result.Head;
                acknowledged.Add(payload);
                i++;
            }
            catch (DocumentConflictException)
            {
                // Our previous, uncertain commit did land (we are the only writer): adopt it instead of appending it again.
                LogSlice slice = await ReadWithRetryAsync(document, head, cancellationToken);
                LogRecord landed = Assert.Single(slice.Records);
                Assert.Equal(payload, System.Text.Encoding.UTF8.GetString(landed.Payload.Span));
                head = landed.Position;
                acknowledged.Add(payload);
                i++;
            }
            catch (DocumentStoreException)
            {
                Interlocked.Increment(ref CommitFailures);
                await Task.Delay(50, cancellationToken); // PostgreSQL is away: retry the same commit with the same expected head.
                continue;
            }

            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, cancellationToken);
            }
        }

        return acknowledged;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (DocumentLogFollower follower in _followers)
        {
            await follower.DisposeAsync();
        }

        await Store.DisposeAsync();
    }

    private async Task<LogSlice> ReadWithRetryAsync(string document, long after, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return await Store.ReadLogAsync(document, after, 10, cancellationToken);
            }
            catch (DocumentStoreException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }
}
