using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Sync.Crdt.Client;
using Sync.Crdt.Counters;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Storage.Sqlite;

namespace Sync.Crdt.Server.Tests;

/// <summary>A real server process on a SQLite file, killed with SIGKILL while clients are connected and restarted.</summary>
public sealed class ProcessRestartTests : IDisposable
{
    private static readonly ReplicatedKey<GCounter> Views = new("views");
    private readonly string _folder = Directory.CreateTempSubdirectory("sync-restart-").FullName;

    [Fact]
    public async Task ServerKilledWhileClientsEdit_RestartedOnTheSameFile_EveryAcknowledgedChangeSurvives()
    {
        string db = Path.Combine(_folder, "server.db");
        int port = FreePort();
        var uri = new Uri($"ws://127.0.0.1:{port}/sync");
        Process server = StartServer(db, port);
        try
        {
            await using SqliteDocumentStore aliceStore = SqliteDocumentStore.Open(Path.Combine(_folder, "alice.db"));
            CrdtSyncClient alice = Client(uri, "alice", aliceStore);
            TextSyncDocument text = await alice.OpenTextAsync("doc");
            ValuesDocument values = await alice.OpenValuesAsync("stats");
            alice.Start();
            await alice.WaitForOnlineAsync().Within();
            await values.DefineAsync(Views, GCounter.Empty);

            // Acknowledged changes.
            for (int i = 0; i < 20; i++)
            {
                text.Insert(text.Length, $"a{i};");
                await values.UpdateAsync(Views, static (c, r, out d) => c.Increment(r, 1, out d));
            }

            await text.WaitForAcknowledgedAsync().Within();
            await values.WaitForAcknowledgedAsync().Within();
            string acknowledgedText = text.Text;

            // More changes in flight, then SIGKILL.
            for (int i = 0; i < 20; i++)
            {
                text.Insert(text.Length, $"b{i};");
                await values.UpdateAsync(Views, static (c, r, out d) => c.Increment(r, 1, out d));
            }

            server.Kill();
            await server.WaitForExitAsync().Within();
            await Eventually.HoldsAsync(() => alice.State != ConnectionState.Online, () => alice.State.ToString());

            // The client restarts too, from its own store, while the server is down.
            await alice.DisposeAsync();
            string localText = text.Text;
            alice = Client(uri, "alice", aliceStore);
            text = await alice.OpenTextAsync("doc");
            values = await alice.OpenValuesAsync("stats");
            Assert.Equal(localText, text.Text);
            Assert.Equal(40, values.Get(Views).Value);

            server = StartServer(db, port);
            // A reader on the restarted server sees every acknowledged change.
            await using CrdtSyncClient reader = Client(uri, "reader", null);
            TextSyncDocument readerText = await reader.OpenTextAsync("doc");
            ValuesDocument readerValues = await reader.OpenValuesAsync("stats");
            reader.Start();
            await reader.WaitForOnlineAsync().Within();
            Assert.StartsWith(acknowledgedText, readerText.Text, StringComparison.Ordinal);
            Assert.True(readerValues.Get(Views).Value >= 20, $"the server holds {readerValues.Get(Views).Value} views");

            // The restarted client resends what the server lacks, once.
            alice.Start();
            await text.WaitForAcknowledgedAsync().Within();
            await values.WaitForAcknowledgedAsync().Within();
            await Eventually.HoldsAsync(() => readerText.Text == localText && readerValues.Get(Views).Value == 40, () => $"{readerText.Text} / {readerValues.Get(Views).Value}");
            await alice.DisposeAsync();
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill();
                await server.WaitForExitAsync();
            }

            server.Dispose();
        }
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static CrdtSyncClient Client(Uri uri, string replica, IDocumentStore? store)
    {
        var options = new CrdtSyncClientOptions
        {
            ServerUri = uri,
            Replica = replica,
            Store = store,
            InitialReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(300),
            JitterSeed = 1,
        };
        foreach (var format in TestServer.Formats)
        {
            options.ValueFormats.Add(format);
        }

        return new CrdtSyncClient(options);
    }

    private static Process StartServer(string db, int port)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "Sync.Crdt.SyncDemo.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { dll, "serve", "--db", db, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        Process process = Process.Start(start)!;
        string? line = process.StandardOutput.ReadLine();
        Assert.True(line is not null && line.StartsWith("listening", StringComparison.Ordinal), $"the server printed '{line}'");
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
