using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Postgres.Tests;

/// <summary>Two stores on separate connections ("nodes") see each other's commits through LISTEN/NOTIFY and re-reads.</summary>
public class PostgresChangeFeedTests
{
    private readonly string _schema = PostgresTestDatabase.NewSchema();

    [Theory]
    [InlineData(PostgresNotifyMode.AfterCommit)]
    [InlineData(PostgresNotifyMode.InTransaction)]
    public async Task TwoNodes_CommitsOnOne_ReachTheOthersFollowerInOrderOnce(PostgresNotifyMode mode)
    {
        await using TestNode a = await TestNode.StartAsync(_schema, "a", mode);
        await using TestNode b = await TestNode.StartAsync(_schema, "b", mode);
        DocumentLogFollower follower = b.Follow("doc"); // no poll: only doorbells (and the first read) wake it
        await b.Store.WaitForListenerAsync();

        List<string> written = await a.WriteAsync("doc", 40, TimeSpan.Zero);
        await Wait.UntilAsync(() => follower.Cursor == 40, "node b's follower reaches position 40");

        Assert.Equal(written, b.Received("doc").Select(r => System.Text.Encoding.UTF8.GetString(r.Payload.Span)));
        Assert.Equal(Enumerable.Range(1, 40).Select(p => (long)p), b.Received("doc").Select(r => r.Position));
        Assert.True(b.Store.ListenerStatistics.Notifications > 0, "node b heard doorbells");
        Assert.Equal(0, b.Store.ListenerStatistics.Failures);
    }

    [Fact]
    public async Task OwnCommits_SignalLocalSubscribersWithoutTheRoundTrip_AndOwnDoorbellsAreNotCounted()
    {
        await using TestNode a = await TestNode.StartAsync(_schema, "a");
        var seen = new List<DocumentChange>();
        using IDisposable subscription = a.Store.Subscribe("doc", change =>
        {
            lock (seen)
            {
                seen.Add(change);
            }
        });
        await a.Store.WaitForListenerAsync();
        await a.Store.CommitAsync(new DocumentCommit("doc") { Appends = [new byte[] { 1 }] });
        lock (seen)
        {
            Assert.Contains(DocumentChange.Committed("doc", 1), seen); // before CommitAsync returned
        }

        await Task.Delay(300);
        Assert.Equal(0, a.Store.ListenerStatistics.Notifications);
    }

    [Fact]
    public async Task ListenerConnectionKilled_ReconnectsAndTheFollowerMissesNothing()
    {
        await using TestNode a = await TestNode.StartAsync(_schema, "a");
        await using TestNode b = await TestNode.StartAsync(_schema, "b");
        DocumentLogFollower follower = b.Follow("doc"); // no poll: recovery must come from the reconnect's Resync
        await b.Store.WaitForListenerAsync();
        await a.WriteAsync("doc", 5, TimeSpan.Zero);
        await Wait.UntilAsync(() => follower.Cursor == 5, "first five records");

        for (int round = 0; round < 3; round++)
        {
            long connections = b.Store.ListenerStatistics.Connections;
            await Wait.UntilAsync(() => b.Store.ListenerStatistics.IsListening, "listening before the kill");
            int killed = await PostgresCluster.TerminateAsync("sync-crdt-listener " + _schema);
            Assert.True(killed >= 1, "the listener backend was found and terminated");
            await a.WriteAsync("doc", 5, TimeSpan.Zero); // committed while b's listener is down or reconnecting
            await Wait.UntilAsync(() => b.Store.ListenerStatistics.Connections > connections, "the listener reconnected");
        }

        await Wait.UntilAsync(() => follower.Cursor == 20, "node b's follower catches up after its listener was killed three times");
        Assert.Equal(Enumerable.Range(1, 20).Select(p => (long)p), b.Received("doc").Select(r => r.Position));
        await Wait.UntilAsync(() => b.Store.ListenerStatistics.IsListening, "listening again");
        Assert.True(b.Store.ListenerStatistics.Connections >= 4, $"reconnected after each kill ({b.Store.ListenerStatistics})");
        Assert.True(b.Store.ListenerStatistics.Failures >= 3);
    }

    [Fact]
    public async Task ManyDocuments_EachFollowerGetsOnlyItsDocument()
    {
        await using TestNode a = await TestNode.StartAsync(_schema, "a");
        await using TestNode b = await TestNode.StartAsync(_schema, "b");
        string[] documents = [.. Enumerable.Range(0, 6).Select(i => $"doc {i} with spaces")];
        DocumentLogFollower[] followers = [.. documents.Select(d => b.Follow(d))];
        await b.Store.WaitForListenerAsync();
        await Task.WhenAll(documents.Select((d, i) => a.WriteAsync(d, 5 + i, TimeSpan.Zero)));
        for (int i = 0; i < documents.Length; i++)
        {
            int index = i;
            await Wait.UntilAsync(() => followers[index].Cursor == 5 + index, $"follower of {documents[index]}");
            Assert.All(b.Received(documents[i]), r => Assert.StartsWith(documents[index] + ":", System.Text.Encoding.UTF8.GetString(r.Payload.Span), StringComparison.Ordinal));
        }
    }
    [Fact]
    public async Task ThreeNodesAppendingToOneDocument_PositionsAreUniqueAndEveryFollowerSeesTheSameLog()
    {
        TestNode[] nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => TestNode.StartAsync(_schema, $"n{i}")));
        try
        {
            DocumentLogFollower[] followers = [.. nodes.Select(n => n.Follow("hot"))];
            foreach (TestNode node in nodes)
            {
                await node.Store.WaitForListenerAsync();
            }

            // No ExpectedHead: three nodes' writers interleave on one document; the row lock orders them.
            await Task.WhenAll(nodes.Select((node, i) => Task.Run(async () =>
            {
                for (int k = 0; k < 25; k++)
                {
                    await node.Store.CommitAsync(new DocumentCommit("hot") { Appends = [System.Text.Encoding.UTF8.GetBytes($"n{i}:{k}"), System.Text.Encoding.UTF8.GetBytes($"n{i}:{k}b")] });
                }
            })));

            StoredDocument stored = await nodes[0].Store.LoadAsync("hot");
            Assert.Equal(150, stored.Head);
            Assert.Equal(Enumerable.Range(1, 150).Select(p => (long)p), stored.Records.Select(r => r.Position));
            string[] payloads = [.. stored.Records.Select(r => System.Text.Encoding.UTF8.GetString(r.Payload.Span))];
            for (int i = 0; i < 3; i++)
            {
                // Each writer's records keep its order, and a commit's two records stay adjacent.
                string[] own = [.. payloads.Where(p => p.StartsWith($"n{i}:", StringComparison.Ordinal))];
                Assert.Equal(Enumerable.Range(0, 25).SelectMany(k => new[] { $"n{i}:{k}", $"n{i}:{k}b" }), own);
                Assert.All(Enumerable.Range(0, 25), k => Assert.Equal(Array.IndexOf(payloads, $"n{i}:{k}") + 1, Array.IndexOf(payloads, $"n{i}:{k}b")));
            }

            for (int i = 0; i < 3; i++)
            {
                int index = i;
                await Wait.UntilAsync(() => followers[index].Cursor == 150, $"follower on node {index}");
                Assert.Equal(payloads, nodes[i].Received("hot").Select(r => System.Text.Encoding.UTF8.GetString(r.Payload.Span)));
            }
        }
        finally
        {
            foreach (TestNode node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
