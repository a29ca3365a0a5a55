using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Replication.Tests.Storage;

/// <summary>The notifying decorator passes the store contract and signals the committed document's subscribers.</summary>
public class NotifyingDocumentStoreTests : DocumentStoreContract
{
    protected override Task<IDocumentStore> OpenAsync() => Task.FromResult<IDocumentStore>(new NotifyingDocumentStore(new InMemoryDocumentStore()));

    protected override async Task<IDocumentStore> ReopenAsync(IDocumentStore store)
    {
        var notifying = (NotifyingDocumentStore)store;
        var memory = (InMemoryDocumentStore)notifying.Inner;
        await store.DisposeAsync();
        memory.Reopen();
        return new NotifyingDocumentStore(memory);
    }

    [Fact]
    public async Task Commit_WithAppends_SignalsOnlyThatDocumentsSubscribersWithTheNewHead()
    {
        await using var store = new NotifyingDocumentStore(new InMemoryDocumentStore());
        var seen = new List<DocumentChange>();
        var other = new List<DocumentChange>();
        using IDisposable subscription = store.Subscribe("doc", seen.Add);
        using IDisposable otherSubscription = store.Subscribe("other", other.Add);

        await store.CommitAsync(Append("doc", "a", "b"));
        await store.CommitAsync(new DocumentCommit("doc") { SetMetadata = [new("k", Bytes("v"))] }); // appends nothing: no signal
        await store.CommitAsync(Append("doc", "c"));

        Assert.Equal([DocumentChange.Committed("doc", 2), DocumentChange.Committed("doc", 3)], seen);
        Assert.Empty(other);

        store.Resync();
        Assert.Equal(DocumentChange.Resync, seen[^1]);
        Assert.Equal(DocumentChange.Resync, Assert.Single(other));
    }

    [Fact]
    public async Task Commit_ThatFails_SignalsNothing()
    {
        var memory = new InMemoryDocumentStore();
        await using var store = new NotifyingDocumentStore(memory);
        var seen = new List<DocumentChange>();
        using IDisposable subscription = store.Subscribe("doc", seen.Add);
        memory.FailNextCommits(1);
        await Assert.ThrowsAsync<DocumentStoreException>(() => store.CommitAsync(Append("doc", "a")));
        await Assert.ThrowsAsync<DocumentConflictException>(() => store.CommitAsync(new DocumentCommit("doc") { Appends = [Bytes("a")], ExpectedHead = 7 }));
        Assert.Empty(seen);
    }

    [Fact]
    public async Task Dispose_WithoutOwnership_LeavesTheInnerStoreOpen()
    {
        var memory = new InMemoryDocumentStore();
        await using (var store = new NotifyingDocumentStore(memory, ownsInner: false))
        {
            await store.CommitAsync(Append("doc", "a"));
        }

        Assert.Equal(1, (await memory.LoadAsync("doc")).Head);
    }
}
