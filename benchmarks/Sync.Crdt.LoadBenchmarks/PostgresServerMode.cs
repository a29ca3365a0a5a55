using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Sync.Crdt.Replication.Storage;
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
        return await ServerMode.ServeAsync(services =>
        {
            services.AddSingleton<IDocumentStore>(store);
            services.AddSingleton<IDocumentChangeFeed>(store);
        });
    }
}
