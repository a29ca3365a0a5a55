using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Server;
using Sync.Crdt.Storage.Postgres;

namespace Sync.Crdt.LoadBenchmarks;

/// <summary>
/// One server node of the PostgreSQL run, in its own process: Kestrel on a free loopback port, the sync endpoint at
/// /sync, the shared PostgreSQL store (acknowledged = committed) and its LISTEN/NOTIFY doorbell as the change feed, so
/// a node applies the other nodes' commits. Prints <c>ready &lt;port&gt;</c>; stops when its standard input closes.
/// </summary>
internal static class PostgresServerMode
{
    public static async Task<int> RunAsync(string connectionString, string schema, string nodeId)
    {
        await using PostgresDocumentStore store = await PostgresDocumentStore.OpenAsync(new PostgresDocumentStoreOptions
        {
            ConnectionString = connectionString,
            Schema = schema,
            NodeId = nodeId,
        });
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<IDocumentStore>(store);
        builder.Services.AddSingleton<IDocumentChangeFeed>(store);
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
