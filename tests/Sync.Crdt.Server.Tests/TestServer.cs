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
using Sync.Crdt.Client;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Server;

namespace Sync.Crdt.Server.Tests;

/// <summary>A real Kestrel server on a free loopback port with the sync endpoint at /sync.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, Uri uri, IDocumentStore store)
    {
        _app = app;
        SyncUri = uri;
        Store = store;
    }

    public Uri SyncUri { get; }

    public IDocumentStore Store { get; }

    public IServiceProvider Services => _app.Services;

    public static ReplicatedValueFormat[] Formats { get; } =
    [
        ReplicatedValueFormat.Create(CrdtCodecs.GCounter),
        ReplicatedValueFormat.Create(CrdtCodecs.ORSet(CrdtCodecs.String)),
    ];

    public static async Task<TestServer> StartAsync(Action<CrdtSyncOptions>? configure = null, IDocumentStore? store = null, Action<WebApplication>? pipeline = null, Action<IServiceCollection>? services = null, bool requireAuthorization = false)
    {
        store ??= new InMemoryDocumentStore();
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton(store);
        builder.Services.AddCrdtSync(options =>
        {
            foreach (ReplicatedValueFormat format in Formats)
            {
                options.ValueFormats.Add(format);
            }

            options.KeepaliveInterval = TimeSpan.FromSeconds(2);
            configure?.Invoke(options);
        });
        services?.Invoke(builder.Services);
        WebApplication app = builder.Build();
        pipeline?.Invoke(app);
        IEndpointConventionBuilder endpoint = app.MapCrdtSync("/sync");
        if (requireAuthorization)
        {
            endpoint.RequireAuthorization();
        }

        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var uri = new Uri(address.Replace("http://", "ws://", StringComparison.Ordinal) + "/sync");
        return new TestServer(app, uri, store);
    }

    public CrdtSyncClient CreateClient(string replica, Action<CrdtSyncClientOptions>? configure = null)
    {
        var options = new CrdtSyncClientOptions
        {
            ServerUri = SyncUri,
            Replica = replica,
            InitialReconnectDelay = TimeSpan.FromMilliseconds(50),
            MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
            JitterSeed = 7,
        };
        foreach (ReplicatedValueFormat format in Formats)
        {
            options.ValueFormats.Add(format);
        }

        configure?.Invoke(options);
        return new CrdtSyncClient(options);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
