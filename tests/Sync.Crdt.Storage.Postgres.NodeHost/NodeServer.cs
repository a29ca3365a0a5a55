using System;
using System.Globalization;
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
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Server;
using Sync.Crdt.Storage.Postgres;

namespace Sync.Crdt.Storage.Postgres.NodeHost;

/// <summary>
/// <c>serve &lt;connection string&gt; &lt;schema&gt; &lt;node id&gt; [keepalive ms] [snapshot every records]</c>: one sync server
/// node (Kestrel on a free loopback port, endpoint /sync) on the shared PostgreSQL store and its doorbell feed. Prints
/// <c>listening &lt;ws uri&gt;</c> once it accepts connections, then runs until killed or until standard input closes.
/// </summary>
internal static class NodeServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length is < 4 or > 6)
        {
            Console.Error.WriteLine("usage: serve <connection string> <schema> <node id> [keepalive ms] [snapshot every records]");
            return 2;
        }

        int keepalive = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 1000;
        int snapshotEvery = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 1000;
        await using PostgresDocumentStore store = await PostgresDocumentStore.OpenAsync(new PostgresDocumentStoreOptions
        {
            ConnectionString = args[1],
            Schema = args[2],
            NodeId = args[3],
            ListenerHealthCheckInterval = TimeSpan.FromSeconds(1),
            ListenerHealthCheckTimeout = TimeSpan.FromSeconds(2),
            ReconnectDelayMin = TimeSpan.FromMilliseconds(50),
            ReconnectDelayMax = TimeSpan.FromSeconds(1),
        });
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft", LogLevel.Error);
        builder.Services.AddSingleton<IDocumentStore>(store);
        builder.Services.AddSingleton<IDocumentChangeFeed>(store);
        builder.Services.AddCrdtSync(options =>
        {
            options.ValueFormats.Add(ReplicatedValueFormat.Create(CrdtCodecs.GCounter));
            options.ValueFormats.Add(ReplicatedValueFormat.Create(CrdtCodecs.ORSet(CrdtCodecs.String)));
            options.KeepaliveInterval = TimeSpan.FromMilliseconds(keepalive);
            options.SnapshotEveryRecords = snapshotEvery;
        });
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        await using WebApplication app = builder.Build();
        app.MapCrdtSync("/sync");
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Console.Out.WriteLine("listening " + address.Replace("http://", "ws://", StringComparison.Ordinal) + "/sync");
        Console.Out.Flush();

        // The test keeps standard input open; closing it (or the test process ending) stops the node gracefully.
        await Task.Run(() => Console.In.ReadToEnd());
        await app.StopAsync(CancellationToken.None);
        return 0;
    }
}
