using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Postgres.Tests;

/// <summary>
/// PostgreSQL restarted or frozen under load: two nodes write and follow each other's documents; afterwards every
/// acknowledged record is in the log exactly once, in order, and every follower saw exactly the log, without a poll
/// (recovery comes from the listener's reconnect and Resync alone).
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public class PostgresClusterFaultTests
{
    private const int PerDocument = 60;
    private readonly string _schema = PostgresTestDatabase.NewSchema();

    [PostgresClusterFact]
    public async Task RestartUnderLoad_NodesRecoverByThemselves_NothingAcknowledgedLostOrDuplicated()
    {
        await RunUnderFaultAsync(_ => PostgresCluster.RestartAsync(), expectReconnect: true);
    }

    [PostgresClusterFact]
    public async Task ServerFrozenBySigstop_DelaysButNeverLosesOrDuplicates()
    {
        await RunUnderFaultAsync(
            progress => PostgresCluster.PauseAsync(TimeSpan.FromSeconds(3), async () =>
            {
                // The freeze is real: while it lasts, no follower advances (nothing commits).
                await Task.Delay(300);
                long before = progress();
                await Task.Delay(2000);
                Assert.Equal(before, progress());
            }),
            expectReconnect: false);
    }

    private async Task RunUnderFaultAsync(Func<Func<long>, Task> fault, bool expectReconnect)
    {
        await using TestNode a = await TestNode.StartAsync(_schema, "a");
        await using TestNode b = await TestNode.StartAsync(_schema, "b");
        string[] fromA = ["a-1", "a-2"];
        string[] fromB = ["b-1"];
        var followers = new List<(TestNode Node, string Document, DocumentLogFollower Follower)>();
        foreach (string document in fromA)
        {
            followers.Add((b, document, b.Follow(document)));
        }

        foreach (string document in fromB)
        {
            followers.Add((a, document, a.Follow(document)));
        }

        await a.Store.WaitForListenerAsync();
        await b.Store.WaitForListenerAsync();
        long connectionsA = a.Store.ListenerStatistics.Connections;
        long connectionsB = b.Store.ListenerStatistics.Connections;

        var writes = new Dictionary<string, Task<List<string>>>(StringComparer.Ordinal);
        foreach (string document in fromA)
        {
            writes[document] = Task.Run(() => a.WriteAsync(document, PerDocument, TimeSpan.FromMilliseconds(20)));
        }

        foreach (string document in fromB)
        {
            writes[document] = Task.Run(() => b.WriteAsync(document, PerDocument, TimeSpan.FromMilliseconds(20)));
        }

        await Wait.UntilAsync(() => followers.All(f => f.Follower.Cursor >= 10), "load under way on every document");
        await fault(() => followers.Sum(f => f.Follower.Cursor));
        await Task.WhenAll(writes.Values).WaitAsync(Wait.Patience);

        foreach ((TestNode node, string document, DocumentLogFollower follower) in followers)
        {
            await Wait.UntilAsync(() => follower.Cursor == PerDocument, $"{document} followed to its end");
            List<string> acknowledged = await writes[document];
            StoredDocument stored = await node.Store.LoadAsync(document);

            // Every acknowledged record is stored once, in the order it was acknowledged, and nothing else is.
            Assert.Equal(acknowledged, stored.Records.Select(r => System.Text.Encoding.UTF8.GetString(r.Payload.Span)));
            Assert.Equal(Enumerable.Range(0, PerDocument).Select(i => $"{document}:{i}"), acknowledged);

            // The other node's follower saw exactly the log: no gap, no repeat.
            Assert.Equal(stored.Records.Select(r => r.Position), node.Received(document).Select(r => r.Position));
        }

        await Wait.UntilAsync(() => a.Store.ListenerStatistics.IsListening && b.Store.ListenerStatistics.IsListening, "both listeners listening again");
        if (expectReconnect)
        {
            Assert.True(a.Store.ListenerStatistics.Connections > connectionsA && b.Store.ListenerStatistics.Connections > connectionsB, "the restart made both listeners reconnect");
            Assert.True(a.CommitFailures + b.CommitFailures > 0, "the restart failed some commits, which the writers retried");
        }
    }
}
