using System;
using System.Collections.Generic;
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
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Server;
using Sync.Crdt.Storage.Sqlite;

namespace Sync.Crdt.LoadBenchmarks;

/// <summary>
/// The server side of the load run, in its own process so its CPU and memory are measured alone: Kestrel on a free
/// loopback port, the sync endpoint at /sync, the embedded SQLite store (default durability: acknowledged = committed
/// with synchronous=FULL). Prints <c>ready &lt;port&gt;</c>; stops when its standard input closes.
/// </summary>
internal static class ServerMode
{
    public static async Task<int> RunAsync(string databasePath)
    {
        await using SqliteDocumentStore store = SqliteDocumentStore.Open(databasePath);
        return await ServeAsync(services => services.AddSingleton<IDocumentStore>(store));
    }

    /// <summary>
    /// Runs the sync endpoint at /sync on a free loopback port with the store <paramref name="addStore"/> registers,
    /// prints <c>ready &lt;port&gt;</c> and serves until standard input closes. Shared by every server mode.
    /// </summary>
    public static async Task<int> ServeAsync(Action<IServiceCollection> addStore)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        addStore(builder.Services);
        builder.Services.AddCrdtSync(options => options.MaxDocumentsPerConnection = 16);
        WebApplication app = builder.Build();
        app.MapCrdtSync("/sync");
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.WriteLine($"ready {new Uri(address).Port}");
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }
}
