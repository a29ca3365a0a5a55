using System;
using System.Threading.Tasks;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Replication.Tests.Storage;

namespace Sync.Crdt.Storage.Sqlite.Tests;

/// <summary>The SQLite store passes the store contract, with reopen meaning a real close and open of the file.</summary>
public sealed class SqliteDocumentStoreContractTests : DocumentStoreContract, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override Task<IDocumentStore> OpenAsync() => Task.FromResult<IDocumentStore>(SqliteDocumentStore.Open(_directory.File("store.db")));

    protected override async Task<IDocumentStore> ReopenAsync(IDocumentStore store)
    {
        string path = ((SqliteDocumentStore)store).Path;
        await store.DisposeAsync();
        return SqliteDocumentStore.Open(path);
    }

    public void Dispose() => _directory.Dispose();
}
