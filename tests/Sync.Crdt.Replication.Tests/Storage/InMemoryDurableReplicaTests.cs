using System.Threading.Tasks;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Replication.Tests.Storage;

/// <summary>The durable replica's guarantees on the in-memory store.</summary>
public sealed class InMemoryDurableReplicaTests : DurableReplicaContract
{
    protected override Task<IDocumentStore> OpenStoreAsync(string name) => Task.FromResult<IDocumentStore>(new InMemoryDocumentStore());

    protected override async Task<IDocumentStore> ReopenStoreAsync(IDocumentStore store)
    {
        await store.DisposeAsync();
        var memory = (InMemoryDocumentStore)store;
        memory.Reopen();
        return memory;
    }

    protected override async Task<(IDocumentStore Original, IDocumentStore Copy)> CopyStoreAsync(IDocumentStore store)
    {
        var memory = (InMemoryDocumentStore)store;
        InMemoryDocumentStore copy = memory.Clone();
        return (await ReopenStoreAsync(memory), copy);
    }
}
