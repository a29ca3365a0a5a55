using System;
using System.Linq;
using System.Threading.Tasks;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Replication.Tests.Storage;

/// <summary>The in-memory store passes the store contract, and its fault and copy features work.</summary>
public class InMemoryDocumentStoreTests : DocumentStoreContract
{
    protected override Task<IDocumentStore> OpenAsync() => Task.FromResult<IDocumentStore>(new InMemoryDocumentStore());

    protected override async Task<IDocumentStore> ReopenAsync(IDocumentStore store)
    {
        await store.DisposeAsync();
        var memory = (InMemoryDocumentStore)store;
        memory.Reopen();
        return memory;
    }

    [Fact]
    public async Task FailNextCommits_FailsThatManyCommitsAndAppliesNothing()
    {
        var store = new InMemoryDocumentStore();
        await store.CommitAsync(Append("doc", "a"));
        store.FailNextCommits(2);
        DocumentStoreException first = await Assert.ThrowsAsync<DocumentStoreException>(() => store.CommitAsync(Append("doc", "b")));
        Assert.Contains("doc", first.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DocumentStoreException>(() => store.CommitAsync(new DocumentCommit("doc") { SetMetadata = [new("k", Bytes("v"))] }));
        await store.CommitAsync(Append("doc", "c"));
        StoredDocument document = await store.LoadAsync("doc");
        Assert.Equal(["a", "c"], document.Records.Select(r => Text(r.Payload)));
        Assert.Empty(document.Metadata);
        Assert.Equal(2, store.CommitCount);
    }

    [Fact]
    public async Task CommitFault_DecidesPerCommit()
    {
        var store = new InMemoryDocumentStore { CommitFault = commit => commit.Document == "bad" ? new DocumentStoreException("disk full") : null };
        await store.CommitAsync(Append("good", "a"));
        DocumentStoreException error = await Assert.ThrowsAsync<DocumentStoreException>(() => store.CommitAsync(Append("bad", "a")));
        Assert.Equal("disk full", error.Message);
        Assert.Equal(["good"], await store.ListDocumentsAsync());
    }

    [Fact]
    public async Task Clone_IsIndependentOfTheOriginal()
    {
        var store = new InMemoryDocumentStore();
        await store.CommitAsync(Append("doc", "a"));
        InMemoryDocumentStore copy = store.Clone();
        await store.CommitAsync(Append("doc", "original"));
        await copy.CommitAsync(Append("doc", "copy"));
        Assert.Equal(["a", "original"], (await store.LoadAsync("doc")).Records.Select(r => Text(r.Payload)));
        Assert.Equal(["a", "copy"], (await copy.LoadAsync("doc")).Records.Select(r => Text(r.Payload)));
        Assert.Equal(2, (await copy.LoadAsync("doc")).Head);
    }

    [Fact]
    public async Task Commit_CanceledBeforeItStarts_AppliesNothing()
    {
        var store = new InMemoryDocumentStore();
        using var canceled = new System.Threading.CancellationTokenSource();
        await canceled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CommitAsync(Append("doc", "a"), canceled.Token));
        Assert.True((await store.LoadAsync("doc")).IsEmpty);
    }
}
