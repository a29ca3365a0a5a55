using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Client;

namespace Sync.Crdt.Storage.Postgres.Tests;

/// <summary>
/// Sync server nodes as real processes on one PostgreSQL, real clients over WebSockets on loopback, each client given
/// every node's endpoint (its own first). Under client load a node is killed (SIGKILL) or frozen (SIGSTOP/SIGCONT), or
/// PostgreSQL is restarted. Every client types unique tokens into one text document; afterwards every client, every
/// surviving node and a node started fresh from the database hold every token exactly once: nothing acknowledged is
/// lost, nothing is duplicated.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed partial class ServerNodeFailureTests
{
    private const string Document = "doc";
    private const int TokensPerClient = 30;
    private readonly string _schema = PostgresTestDatabase.NewSchema();

    [PostgresClusterFact]
    public async Task NodeKilledWithSigkillMidLoad_ItsClientsFailOverAndEveryAcknowledgedTokenIsEverywhereOnce()
    {
        await using var cluster = await NodeSet.StartAsync(_schema, 3);
        await using var load = await ClientLoad.StartAsync(cluster, clientsPerNode: 2);
        await load.WaitUntilEveryClientAcknowledgedAsync(8);

        int connectionsBefore = load.Connections;
        await cluster.Nodes[0].KillAsync();
        load.Release();

        await load.FinishAsync();
        Assert.True(cluster.Nodes[0].HasExited);

        // The killed node's clients (its own, unless a slow start already moved them) reconnected to another node.
        Assert.True(load.Connections > connectionsBefore, "no client was disconnected by the kill");
        await AssertEverywhereOnceAsync(cluster, load, alive: [1, 2]);
    }

    [PostgresClusterFact]
    public async Task NodeFrozenWithSigstop_ItsClientsAreDelayedOrFailOver_NothingLostOrDuplicated()
    {
        await using var cluster = await NodeSet.StartAsync(_schema, 2);
        await using var load = await ClientLoad.StartAsync(cluster, clientsPerNode: 2);
        await load.WaitUntilEveryClientAcknowledgedAsync(8);

        cluster.Nodes[0].Pause();
        try
        {
            // While node 0 is frozen its clients' writes are not acknowledged by it; node 1 keeps serving.
            load.Release();
            await Task.Delay(TimeSpan.FromSeconds(4));
        }
        finally
        {
            cluster.Nodes[0].Resume();
        }

        await load.FinishAsync();
        await AssertEverywhereOnceAsync(cluster, load, alive: [0, 1]);
    }

    [PostgresClusterFact]
    public async Task PostgresRestartedUnderLoad_NodesAndListenersRecoverByThemselves_NothingLostOrDuplicated()
    {
        await using var cluster = await NodeSet.StartAsync(_schema, 2);
        await using var load = await ClientLoad.StartAsync(cluster, clientsPerNode: 2);
        await load.WaitUntilEveryClientAcknowledgedAsync(8);

        load.Release();
        await PostgresCluster.RestartAsync();

        await load.FinishAsync();

        // Every client on node 1 holds node 0's clients' tokens (and vice versa): both nodes' doorbell listeners came back.
        await AssertEverywhereOnceAsync(cluster, load, alive: [0, 1]);
    }

    private async Task AssertEverywhereOnceAsync(NodeSet cluster, ClientLoad load, int[] alive)
    {
        string[] expected = load.AllTokens();

        // Every client converges to one text holding every token once.
        await Wait.UntilAsync(() => load.Documents.All(d => d.Text == load.Documents[0].Text && !d.HasPendingChanges), "every client holds the same text and nothing is pending");
        AssertTokensOnce(expected, load.Documents[0].Text, "the clients' text");

        // Every surviving node serves it (a fresh client reads that node's memory), and so does a node that loads it
        // from PostgreSQL afterwards.
        await using ServerNodeProcess fresh = await ServerNodeProcess.StartAsync(_schema, "fresh");
        foreach (Uri uri in alive.Select(i => cluster.Nodes[i].SyncUri).Append(fresh.SyncUri))
        {
            await using CrdtSyncClient reader = ClientLoad.CreateClient(uri, [], "reader-" + uri.Port.ToString(CultureInfo.InvariantCulture));
            TextSyncDocument text = await reader.OpenTextAsync(Document);
            reader.Start();
            await text.WaitForSyncedAsync().WaitAsync(Wait.Patience);
            await Wait.UntilAsync(() => text.Text.Length >= load.Documents[0].Text.Length, $"node at {uri} serves the whole text");
            AssertTokensOnce(expected, text.Text, $"node at {uri}");
        }
    }

    private static void AssertTokensOnce(string[] expected, string text, string where)
    {
        string[] found = [.. TokenPattern().Matches(text).Select(m => m.Value)];
        Assert.True(found.Length == found.Distinct().Count(), $"{where}: a token appears twice");
        Assert.Equal(expected.Order(StringComparer.Ordinal), found.Order(StringComparer.Ordinal));
        Assert.Equal(expected.Sum(t => t.Length), text.Length);
    }

    [GeneratedRegex(@"<\d+\.\d+>")]
    private static partial Regex TokenPattern();

    /// <summary>The node processes; disposing stops the live ones.</summary>
    private sealed class NodeSet : IAsyncDisposable
    {
        private NodeSet(ServerNodeProcess[] nodes)
        {
            Nodes = nodes;
        }

        public ServerNodeProcess[] Nodes { get; }

        public static async Task<NodeSet> StartAsync(string schema, int count)
        {
            var nodes = new ServerNodeProcess[count];
            try
            {
                for (int i = 0; i < count; i++)
                {
                    // Small snapshot interval: compaction runs on every node during the test, under concurrent writers.
                    nodes[i] = await ServerNodeProcess.StartAsync(schema, "node-" + i.ToString(CultureInfo.InvariantCulture), snapshotEveryRecords: 25);
                }
            }
            catch
            {
                foreach (ServerNodeProcess? node in nodes)
                {
                    if (node is not null)
                    {
                        await node.DisposeAsync();
                    }
                }

                throw;
            }

            return new NodeSet(nodes);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (ServerNodeProcess node in Nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Clients spread over the nodes, each typing <see cref="TokensPerClient"/> tokens <c>&lt;client.i&gt;</c> at the
    /// end of the text; they pause after a few acknowledged tokens until <see cref="Release"/> (so the fault hits
    /// mid-load), then type the rest while the fault happens.
    /// </summary>
    private sealed class ClientLoad : IAsyncDisposable
    {
        private readonly List<(CrdtSyncClient Client, TextSyncDocument Document)> _clients = [];
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly int[] _acknowledged;
        private Task[] _writers = [];

        private ClientLoad(int clients)
        {
            _acknowledged = new int[clients];
        }

        /// <summary>Gets how many connections the clients established so far (a reconnect counts one more).</summary>
        public int Connections => _clients.Sum(c => c.Client.ConnectionCount);

        public IReadOnlyList<TextSyncDocument> Documents => [.. _clients.Select(c => c.Document)];

        public static async Task<ClientLoad> StartAsync(NodeSet cluster, int clientsPerNode)
        {
            int nodes = cluster.Nodes.Length;
            var load = new ClientLoad(nodes * clientsPerNode);
            for (int k = 0; k < nodes * clientsPerNode; k++)
            {
                int home = k % nodes;
                Uri[] others = [.. Enumerable.Range(1, nodes - 1).Select(j => cluster.Nodes[(home + j) % nodes].SyncUri)];
                CrdtSyncClient client = CreateClient(cluster.Nodes[home].SyncUri, others, "client-" + k.ToString(CultureInfo.InvariantCulture));
                TextSyncDocument document = await client.OpenTextAsync(Document);
                client.Start();
                load._clients.Add((client, document));
            }

            await Task.WhenAll(load._clients.Select(c => c.Document.WaitForSyncedAsync())).WaitAsync(Wait.Patience);
            load._writers = [.. load._clients.Select((c, k) => Task.Run(() => load.WriteAsync(k, c.Document)))];
            return load;
        }

        public static CrdtSyncClient CreateClient(Uri home, Uri[] failover, string replica)
        {
            var options = new CrdtSyncClientOptions
            {
                ServerUri = home,
                Replica = replica,
                InitialReconnectDelay = TimeSpan.FromMilliseconds(50),
                MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
                ConnectTimeout = TimeSpan.FromSeconds(5),
                JitterSeed = 11,
            };
            foreach (Uri uri in failover)
            {
                options.FailoverServerUris.Add(uri);
            }

            return new CrdtSyncClient(options);
        }

        public Task WaitUntilEveryClientAcknowledgedAsync(int tokens) =>
            Wait.UntilAsync(() => Enumerable.Range(0, _acknowledged.Length).All(k => Volatile.Read(ref _acknowledged[k]) >= tokens), $"every client has {tokens} tokens acknowledged");

        public void Release() => _released.TrySetResult();

        public async Task FinishAsync()
        {
            Release();
            await Task.WhenAll(_writers).WaitAsync(Wait.Patience);
        }

        public string[] AllTokens() => [.. Enumerable.Range(0, _clients.Count).SelectMany(k => Enumerable.Range(0, TokensPerClient).Select(i => Token(k, i)))];

        public async ValueTask DisposeAsync()
        {
            Release();
            foreach ((CrdtSyncClient client, _) in _clients)
            {
                await client.DisposeAsync();
            }
        }

        private static string Token(int client, int i) => string.Create(CultureInfo.InvariantCulture, $"<{client}.{i}>");

        private async Task WriteAsync(int k, TextSyncDocument document)
        {
            for (int i = 0; i < TokensPerClient; i++)
            {
                if (i == 10)
                {
                    await _released.Task;
                }

                document.Insert(document.Length, Token(k, i));
                await Task.Delay(15);
                if (i % 5 == 4 || i == TokensPerClient - 1)
                {
                    // Every token typed so far is acknowledged: committed in PostgreSQL by some node.
                    await document.WaitForAcknowledgedAsync().WaitAsync(Wait.Patience);
                    Volatile.Write(ref _acknowledged[k], i + 1);
                }
            }
        }
    }
}
