using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Server.Hosting;

namespace Sync.Crdt.Server;

/// <summary>Registers the sync endpoint's services.</summary>
public static class CrdtSyncServiceCollectionExtensions
{
    /// <summary>
    /// Adds the sync endpoint: options (validated at startup), the document registry, metrics, the <c>crdt-sync</c>
    /// health check, and an <see cref="InMemoryDocumentStore"/> unless an <see cref="IDocumentStore"/> is already
    /// registered (register a durable store, such as the SQLite store, before or after this call).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddCrdtSync(this IServiceCollection services, Action<CrdtSyncOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<CrdtSyncOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(static o =>
        {
            o.Validate();
            return true;
        }).ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDocumentStore, InMemoryDocumentStore>();
        services.TryAddSingleton<CrdtSyncMetrics>();
        services.TryAddSingleton<DocumentRegistry>();
        services.TryAddSingleton(static provider => new CrdtSyncDocuments(provider.GetRequiredService<DocumentRegistry>()));
        services.AddHealthChecks().AddCheck<CrdtSyncHealthCheck>("crdt-sync");
        return services;
    }
}
