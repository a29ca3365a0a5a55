using System.Threading.Tasks;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Replication.Tests.Storage;

namespace Sync.Crdt.Storage.Postgres.Tests;

/// <summary>The PostgreSQL store passes the store contract; each test gets its own schema, reopened as a restarted node would.</summary>
public class PostgresDocumentStoreContractTests : DocumentStoreContract
{
    private readonly string _schema = PostgresTestDatabase.NewSchema();

    protected override async Task<IDocumentStore> OpenAsync() => await PostgresDocumentStore.OpenAsync(PostgresTestDatabase.Options(_schema));

    protected override async Task<IDocumentStore> ReopenAsync(IDocumentStore store)
    {
        await store.DisposeAsync();
        return await PostgresDocumentStore.OpenAsync(PostgresTestDatabase.Options(_schema));
    }
}
