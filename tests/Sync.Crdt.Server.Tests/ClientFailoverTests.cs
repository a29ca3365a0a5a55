using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Client;

namespace Sync.Crdt.Server.Tests;

/// <summary>The client's failover endpoints: after a failed attempt it moves on to the next server node.</summary>
public sealed class ClientFailoverTests
{
    [Fact]
    public async Task FirstEndpointRefusesConnections_ClientComesOnlineThroughTheFailoverEndpoint()
    {
        await using TestServer server = await TestServer.StartAsync();
        Uri dead = new($"ws://127.0.0.1:{UnusedPort()}/sync");
        await using CrdtSyncClient client = server.CreateClient("alice", o =>
        {
            o.ServerUri = dead;
            o.FailoverServerUris.Add(server.SyncUri);
        });
        TextSyncDocument text = await client.OpenTextAsync("notes");
        client.Start();

        await client.WaitForOnlineAsync().Within();
        text.Insert(0, "hello");
        await text.WaitForAcknowledgedAsync().Within();
        Assert.Equal(1, client.ConnectionCount);
        Assert.True((await server.Store.LoadAsync("notes")).Head > 0, "the edit was committed by the failover server");
        Assert.Equal("hello", text.Text);
    }

    [Fact]
    public async Task FirstEndpointAcceptsButNeverAnswers_ConnectTimeoutMovesTheClientOn()
    {
        // A listener that accepts TCP connections and never answers the WebSocket upgrade: a frozen node.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using TestServer server = await TestServer.StartAsync();
        await using CrdtSyncClient client = server.CreateClient("bob", o =>
        {
            o.ServerUri = new Uri($"ws://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/sync");
            o.FailoverServerUris.Add(server.SyncUri);
            o.ConnectTimeout = TimeSpan.FromMilliseconds(500);
        });
        await client.OpenValuesAsync("stats");
        client.Start();

        await client.WaitForOnlineAsync().Within();
        Assert.Equal(1, client.ConnectionCount);
    }

    [Fact]
    public async Task ConnectTimeout_NeitherPositiveNorInfinite_IsRefused()
    {
        var options = new CrdtSyncClientOptions { ServerUri = new Uri("ws://127.0.0.1:1/sync"), Replica = "carol", ConnectTimeout = TimeSpan.Zero };
        Assert.Throws<ArgumentException>(() => new CrdtSyncClient(options));
        options.ConnectTimeout = Timeout.InfiniteTimeSpan;
        await using var client = new CrdtSyncClient(options);
        Assert.Equal(0, client.ConnectionCount);
    }

    private static int UnusedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
