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
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Server;
using Sync.Crdt.Storage.Sqlite;

namespace Sync.Crdt.SyncDemo;

/// <summary>
/// A sync server on a loopback port with the embedded SQLite store: what the demo, the restart test and load
/// benchmarks start (in-process with <see cref="StartAsync"/>, or as a process with <c>serve --db PATH</c>).
/// </summary>
public sealed class SyncServerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SyncServerHost(WebApplication app, Uri syncUri)
    {
        _app = app;
        SyncUri = syncUri;
    }

    /// <summary>The value formats the demo's replicated-values documents use (clients register the same).</summary>
    public static ReplicatedValueFormat[] ValueFormats { get; } =
    [
        ReplicatedValueFormat.Create(CrdtCodecs.GCounter),
        ReplicatedValueFormat.Create(CrdtCodecs.ORSet(CrdtCodecs.String)),
    ];

    /// <summary>The endpoint, for example <c>ws://127.0.0.1:41234/sync</c>.</summary>
    public Uri SyncUri { get; }

    /// <summary>Starts a server on 127.0.0.1 (port 0 = a free port) storing documents in the SQLite file.</summary>
    public static async Task<SyncServerHost> StartAsync(string databasePath, int port = 0, Action<CrdtSyncOptions>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        builder.Services.AddSingleton<IDocumentStore>(_ => SqliteDocumentStore.Open(databasePath));
        builder.Services.AddCrdtSync(options =>
        {
            foreach (ReplicatedValueFormat format in ValueFormats)
            {
                options.ValueFormats.Add(format);
            }

            configure?.Invoke(options);
        });
        WebApplication app = builder.Build();
        app.MapCrdtSync("/sync");
        app.MapHealthChecks("/healthz");
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SyncServerHost(app, new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/sync"));
    }

    /// <summary>Stops the server and closes the store.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
