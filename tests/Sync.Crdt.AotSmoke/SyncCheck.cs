using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sync.Crdt.Client;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Server;
using Sync.Crdt.Storage.Sqlite;

namespace Sync.Crdt.AotSmoke;

/// <summary>
/// The sync server and two clients in this NativeAOT process, over a real loopback WebSocket: a Kestrel endpoint
/// (<c>WebApplication.CreateSlimBuilder</c>, 127.0.0.1, port 0) with the SQLite document store, a client with its own
/// SQLite store and a client without one. They edit a replicated-values document and a text document, one of them
/// offline for a while, and must converge with every change acknowledged (durable on the server).
/// </summary>
internal static class SyncCheck
{
    private static readonly ReplicatedKey<GCounter> Views = new("views");

    private static readonly ReplicatedValueFormat[] Formats = [ReplicatedValueFormat.Create(CrdtCodecs.For<GCounter>())];

    public static async Task RunAsync(SmokeCheck smoke)
    {
        string folder = Directory.CreateTempSubdirectory("sync-crdt-aot-").FullName;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await RunAsync(smoke, folder, timeout.Token);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            smoke.Expect(false, $"sync: {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task RunAsync(SmokeCheck smoke, string folder, CancellationToken token)
    {
        await using SqliteDocumentStore serverStore = SqliteDocumentStore.Open(Path.Combine(folder, "server.db"));
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<IDocumentStore>(serverStore);
        builder.Services.AddCrdtSync(options =>
        {
            foreach (ReplicatedValueFormat format in Formats)
            {
                options.ValueFormats.Add(format);
            }
        });
        await using WebApplication app = builder.Build();
        app.MapCrdtSync("/sync");
        await app.StartAsync(token);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/sync");

        await using SqliteDocumentStore phoneStore = SqliteDocumentStore.Open(Path.Combine(folder, "phone.db"));
        await using CrdtSyncClient phone = Client(uri, "phone", phoneStore);
        await using CrdtSyncClient laptop = Client(uri, "laptop", null);
        ValuesDocument phoneStats = await phone.OpenValuesAsync("stats", token);
        ValuesDocument laptopStats = await laptop.OpenValuesAsync("stats", token);
        TextSyncDocument phoneNotes = await phone.OpenTextAsync("notes", token);
        TextSyncDocument laptopNotes = await laptop.OpenTextAsync("notes", token);
        phone.Start();
        laptop.Start();
        await Task.WhenAll(phone.WaitForOnlineAsync(token), laptop.WaitForOnlineAsync(token));
        smoke.Expect(phone.State == ConnectionState.Online && laptop.State == ConnectionState.Online, "sync: both clients online over a loopback WebSocket");

        await phoneStats.DefineAsync(Views, GCounter.Empty, token);
        await phoneStats.UpdateAsync(Views, static (c, r, out d) => c.Increment(r, 2, out d), token);
        phoneNotes.Insert(0, "hello");
        await phoneStats.WaitForAcknowledgedAsync(token);
        await phoneNotes.WaitForAcknowledgedAsync(token);
        await Until(() => laptopNotes.Text == "hello" && laptopStats.TryGet(Views, out GCounter? v) && v.Value == 2, token);
        smoke.Expect(laptopNotes.Text == "hello", "sync: the laptop received the phone's text and values");

        // The phone edits offline while the laptop edits online; both converge once the phone is back.
        phone.SetOffline(true);
        await Until(() => phone.State == ConnectionState.Offline, token);
        await phoneStats.UpdateAsync(Views, static (c, r, out d) => c.Increment(r, 3, out d), token);
        phoneNotes.Insert(phoneNotes.Length, " offline");
        await laptopStats.UpdateAsync(Views, static (c, r, out d) => c.Increment(r, 4, out d), token);
        laptopNotes.Insert(0, "[laptop] ");
        await laptopStats.WaitForAcknowledgedAsync(token);
        await laptopNotes.WaitForAcknowledgedAsync(token);
        smoke.Expect(phoneStats.HasPendingChanges && phoneNotes.HasPendingChanges, "sync: offline edits are pending");

        phone.SetOffline(false);
        await phoneStats.WaitForAcknowledgedAsync(token);
        await phoneNotes.WaitForAcknowledgedAsync(token);
        await Until(() => phoneNotes.Text == laptopNotes.Text && laptopStats.Get(Views).Value == 9 && phoneStats.Get(Views).Value == 9, token);
        smoke.Expect(phoneNotes.Text == "[laptop] hello offline", $"sync: text converged ({phoneNotes.Text})");
        smoke.Expect(phoneStats.Vector.Equals(laptopStats.Vector) && laptopStats.Get(Views).Value == 9, "sync: values converged");

        StoredDocument stored = await serverStore.LoadAsync("stats", token);
        smoke.Expect(stored.Head > 0, $"sync: the server's SQLite store holds the values document (head {stored.Head})");
        Console.WriteLine($"aot smoke: sync server at {uri} (SQLite) and two clients converged on \"{laptopNotes.Text}\" and {laptopStats.Get(Views).Value} views");
        await app.StopAsync(token);
    }

    private static CrdtSyncClient Client(Uri uri, string replica, IDocumentStore? store)
    {
        var options = new CrdtSyncClientOptions
        {
            ServerUri = uri,
            Replica = replica,
            Store = store,
            InitialReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
            JitterSeed = 1,
        };
        foreach (ReplicatedValueFormat format in Formats)
        {
            options.ValueFormats.Add(format);
        }

        return new CrdtSyncClient(options);
    }

    private static async Task Until(Func<bool> condition, CancellationToken token)
    {
        while (!condition())
        {
            await Task.Delay(10, token);
        }
    }
}
