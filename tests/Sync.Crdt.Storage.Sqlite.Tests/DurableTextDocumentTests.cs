using System;
using System.IO;
using System.Threading.Tasks;
using Sync.Crdt.Causality;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Replication.Tests.Storage;
using Sync.Crdt.Text;

namespace Sync.Crdt.Storage.Sqlite.Tests;

/// <summary>Collaborative text kept in SQLite: acknowledged after commit, survives restarts, compacts, restores from copies safely.</summary>
public sealed class DurableTextDocumentTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Edits_SurviveReopen_UnderAFreshIncarnation()
    {
        string path = _directory.File("text.db");
        ReplicaId first;
        await using (SqliteDocumentStore store = SqliteDocumentStore.Open(path))
        {
            await using DurableTextDocument text = await DurableTextDocument.OpenAsync(store, "notes", "laptop");
            await text.InsertAsync(0, "hello world");
            await text.DeleteAsync(5, 6);
            await text.InsertAsync(5, ", durable text");
            first = text.Replica;
        }

        await using (SqliteDocumentStore store = SqliteDocumentStore.Open(path))
        {
            await using DurableTextDocument text = await DurableTextDocument.OpenAsync(store, "notes", "laptop");
            Assert.Equal("hello, durable text", await text.GetTextAsync());
            Assert.NotEqual(first, text.Replica);
            Assert.StartsWith("laptop#2.", text.Replica.Value, StringComparison.Ordinal);
            await text.InsertAsync(0, ">");
            Assert.Equal(">hello, durable text", await text.GetTextAsync());
        }
    }

    [Fact]
    public async Task Edit_CompletesOnlyAfterCommit_AndAFailedCommitRollsTheTextBack()
    {
        var store = new ControlledStore(SqliteDocumentStore.Open(_directory.File("ack.db")));
        await using DurableTextDocument text = await DurableTextDocument.OpenAsync(store, "notes", "a");
        await text.InsertAsync(0, "abc");
        store.Hold();
        Task<TextUpdate> pending = text.InsertAsync(3, "def");
        await Task.Delay(50);
        Assert.False(pending.IsCompleted);
        Assert.Equal("abcdef", await text.GetTextAsync());
        store.Release();
        Assert.True((await pending).Length > 0);

        store.Fault = _ => new DocumentStoreException("disk full (simulated)");
        await Assert.ThrowsAsync<DocumentStoreException>(() => text.InsertAsync(0, "lost"));
        Assert.Equal("abcdef", await text.GetTextAsync());
        store.Fault = null;
        await text.InsertAsync(6, "!");
        Assert.Equal("abcdef!", await text.GetTextAsync());
        await text.DisposeAsync();
        await store.DisposeAsync();
    }

    [Fact]
    public async Task Compaction_WhenTheLogOutgrowsTheState_WritesTheEncodedStateAndDropsTheLog()
    {
        string path = _directory.File("compact.db");
        string expected;
        await using (SqliteDocumentStore store = SqliteDocumentStore.Open(path))
        {
            await using DurableTextDocument text = await DurableTextDocument.OpenAsync(store, "notes", "a");
            var random = new Random(11);
            for (int i = 0; i < 400; i++)
            {
                int length = (await text.GetTextAsync()).Length;
                if (length > 500 && random.Next(3) == 0)
                {
                    await text.DeleteAsync(random.Next(length - 400), 300);
                }
                else
                {
                    await text.InsertAsync(random.Next(length + 1), new string((char)('a' + (i % 26)), 300));
                }
            }

            expected = await text.GetTextAsync();
            StoredDocument stored = await store.LoadAsync("notes");
            Assert.NotNull(stored.Snapshot);
            Assert.True(stored.Records.Length < 400, $"{stored.Records.Length} records");
        }

        await using (SqliteDocumentStore store = SqliteDocumentStore.Open(path))
        {
            await using DurableTextDocument text = await DurableTextDocument.OpenAsync(store, "notes", "a");
            Assert.Equal(expected, await text.GetTextAsync());
        }
    }

    [Fact]
    public async Task RestoreFromAnOldCopy_BothKeepEditing_MergingLosesNothing()
    {
        string path = _directory.File("orig.db");
        await using (SqliteDocumentStore store = SqliteDocumentStore.Open(path))
        {
            await using DurableTextDocument text = await DurableTextDocument.OpenAsync(store, "notes", "phone");
            await text.InsertAsync(0, "base.");
        }

        string copyPath = _directory.File("copy.db");
        File.Copy(path, copyPath);
        await using SqliteDocumentStore originalStore = SqliteDocumentStore.Open(path);
        await using SqliteDocumentStore copyStore = SqliteDocumentStore.Open(copyPath);
        await using DurableTextDocument original = await DurableTextDocument.OpenAsync(originalStore, "notes", "phone");
        await using DurableTextDocument copy = await DurableTextDocument.OpenAsync(copyStore, "notes", "phone");
        Assert.NotEqual(original.Replica, copy.Replica);
        await original.InsertAsync(5, " original");
        await copy.InsertAsync(5, " copy");

        await copy.ApplyUpdateAsync((await original.EncodeStateAsUpdateAsync(await copy.GetStateVectorAsync())).ToArray());
        await original.ApplyUpdateAsync((await copy.EncodeStateAsUpdateAsync(await original.GetStateVectorAsync())).ToArray());
        string merged = await original.GetTextAsync();
        Assert.Equal(merged, await copy.GetTextAsync());
        Assert.Contains(" original", merged, StringComparison.Ordinal);
        Assert.Contains(" copy", merged, StringComparison.Ordinal);
        Assert.StartsWith("base.", merged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyUpdate_Garbage_ThrowsFormatErrorAndChangesNothing()
    {
        await using SqliteDocumentStore store = SqliteDocumentStore.Open(_directory.File("bad.db"));
        await using DurableTextDocument text = await DurableTextDocument.OpenAsync(store, "notes", "a");
        await text.InsertAsync(0, "keep");
        long head = text.CommittedHead;
        await Assert.ThrowsAsync<Sync.Crdt.Encoding.CrdtFormatException>(() => text.ApplyUpdateAsync(new byte[] { 0xFF, 0xFF, 0xFF, 0x01 }));
        await text.FlushAsync();
        Assert.Equal("keep", await text.GetTextAsync());
        Assert.Equal(head, text.CommittedHead);
    }
}
