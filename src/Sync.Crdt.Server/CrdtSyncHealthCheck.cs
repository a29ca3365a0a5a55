using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Server.Hosting;

namespace Sync.Crdt.Server;

/// <summary>Reports the sync endpoint healthy when its store answers and it is not shutting down.</summary>
/// <remarks>Registered as <c>crdt-sync</c> by <c>AddCrdtSync</c>; map it with <c>app.MapHealthChecks("/healthz")</c>.
/// Thread-safe.</remarks>
internal sealed class CrdtSyncHealthCheck : IHealthCheck
{
    private readonly DocumentRegistry _registry;
    private readonly IDocumentStore _store;

    public CrdtSyncHealthCheck(DocumentRegistry registry, IDocumentStore store)
    {
        _registry = registry;
        _store = store;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object> { ["documentsLoaded"] = _registry.OpenDocuments };
        if (_registry.ShuttingDown)
        {
            return HealthCheckResult.Unhealthy("The sync endpoint is shutting down.", data: data);
        }

        try
        {
            await _store.ListDocumentsAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy("The sync endpoint and its store answer.", data);
        }
        catch (DocumentStoreException e)
        {
            return HealthCheckResult.Unhealthy("The document store fails.", e, data);
        }
    }
}
