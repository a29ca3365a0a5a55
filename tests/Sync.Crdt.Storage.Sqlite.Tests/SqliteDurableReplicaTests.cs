using System;
using System.IO;
using System.Threading.Tasks;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Replication.Tests.Storage;

namespace Sync.Crdt.Storage.Sqlite.Tests;

/// <summary>The durable replica's guarantees on SQLite files: a restart closes and reopens the file, a copy is a copied file.</summary>
public sealed class SqliteDurableReplicaTests : DurableReplicaContract, IDisposable
{
    private readonly TempDirectory _directory = new();

    protected override Task<IDocumentStore> OpenStoreAsync(string name) => Task.FromResult<IDocumentStore>(SqliteDocumentStore.Open(_directory.File(name + ".db")));

    protected override async Task<IDocumentStore> ReopenStoreAsync(IDocumentStore store)
    {
        string path = Unwrap(store).Path;
        await store.DisposeAsync();
        return SqliteDocumentStore.Open(path);
    }

    protected override async Task<(IDocumentStore Original, IDocumentStore Copy)> CopyStoreAsync(IDocumentStore store)
    {
        string path = Unwrap(store).Path;
        await store.DisposeAsync();
        string copyPath = _directory.File("copy-" + Guid.NewGuid().ToString("N") + ".db");
        File.Copy(path, copyPath);
        return (SqliteDocumentStore.Open(path), SqliteDocumentStore.Open(copyPath));
    }

    public void Dispose() => _directory.Dispose();

    private static SqliteDocumentStore Unwrap(IDocumentStore store) => store is ControlledStore controlled ? (SqliteDocumentStore)controlled.Inner : (SqliteDocumentStore)store;
}
