using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Replication.Tests.Storage;

/// <summary>
/// The <see cref="IDocumentStore"/> contract as tests every store must pass: derive, implement <see cref="OpenAsync"/>
/// (a fresh, empty store) and <see cref="ReopenAsync"/> (dispose and open the same data again, as after a restart).
/// Shared by the in-memory store's tests and every real store's (linked into their test projects).
/// </summary>
public abstract class DocumentStoreContract
{
    /// <summary>Opens a new, empty store.</summary>
    protected abstract Task<IDocumentStore> OpenAsync();

    /// <summary>Disposes <paramref name="store"/> and opens the same data again.</summary>
    protected abstract Task<IDocumentStore> ReopenAsync(IDocumentStore store);

    protected static ReadOnlyMemory<byte> Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    protected static string Text(ReadOnlyMemory<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes.Span);

    protected static DocumentCommit Append(string document, params string[] payloads) =>
        new(document) { Appends = [.. payloads.Select(Bytes)] };

    [Fact]
    public async Task Load_UnknownDocument_IsEmpty()
    {
        await using IDocumentStore store = await OpenAsync();
        StoredDocument document = await store.LoadAsync("nothing-here");
        Assert.True(document.IsEmpty);
        Assert.Equal(0, document.Head);
        Assert.Null(document.Snapshot);
        Assert.Empty(document.Records);
        Assert.Empty(await store.ListDocumentsAsync());
    }

    [Fact]
    public async Task Commit_Appends_ReceiveConsecutivePositionsAndSurviveReopen()
    {
        IDocumentStore store = await OpenAsync();
        CommitResult first = await store.CommitAsync(Append("doc", "a", "b"));
        CommitResult second = await store.CommitAsync(Append("doc", "c"));
        CommitResult empty = await store.CommitAsync(new DocumentCommit("doc"));
        Assert.Equal(new CommitResult(1, 2), first);
        Assert.Equal(new CommitResult(3, 3), second);
        Assert.Equal(new CommitResult(4, 3), empty);
        Assert.Equal(0, empty.AppendedCount);

        store = await ReopenAsync(store);
        await using (store)
        {
            StoredDocument document = await store.LoadAsync("doc");
            Assert.Equal(3, document.Head);
            Assert.Equal([1L, 2, 3], document.Records.Select(r => r.Position));
            Assert.Equal(["a", "b", "c"], document.Records.Select(r => Text(r.Payload)));
        }
    }

    [Fact]
    public async Task Commit_Metadata_SetOverwriteAndRemove()
    {
        IDocumentStore store = await OpenAsync();
        await store.CommitAsync(new DocumentCommit("doc") { SetMetadata = [new("k1", Bytes("one")), new("k2", Bytes("two"))] });
        await store.CommitAsync(new DocumentCommit("doc") { SetMetadata = [new("k1", Bytes("uno"))], RemoveMetadata = ["k2", "absent"] });
        store = await ReopenAsync(store);
        await using (store)
        {
            StoredDocument document = await store.LoadAsync("doc");
            Assert.Equal(["k1"], document.Metadata.Keys);
            Assert.Equal("uno", Text(document.Metadata["k1"]));
            Assert.Equal(0, document.Head);
            Assert.False(document.IsEmpty);
            Assert.Equal(["doc"], await store.ListDocumentsAsync());
        }
    }

    [Fact]
    public async Task Commit_SnapshotAndTruncation_InOneCommit_LeaveSnapshotPlusLaterRecords()
    {
        IDocumentStore store = await OpenAsync();
        await store.CommitAsync(Append("doc", "1", "2", "3"));
        await store.CommitAsync(new DocumentCommit("doc")
        {
            Appends = [Bytes("4")],
            Snapshot = new StoredSnapshot(4, Bytes("state@4")),
            TruncateThrough = 2,
        });
        CommitResult after = await store.CommitAsync(Append("doc", "5"));
        Assert.Equal(5, after.Head);

        store = await ReopenAsync(store);
        await using (store)
        {
            StoredDocument document = await store.LoadAsync("doc");
            Assert.Equal(4, document.Snapshot!.Position);
            Assert.Equal("state@4", Text(document.Snapshot.Payload));
            Assert.Equal([3L, 4, 5], document.Records.Select(r => r.Position));
            Assert.Equal(5, document.Head);

            // Positions are never reused after truncation.
            await store.CommitAsync(new DocumentCommit("doc") { TruncateThrough = 4 });
            CommitResult next = await store.CommitAsync(Append("doc", "6"));
            Assert.Equal(6, next.FirstPosition);
            StoredDocument compacted = await store.LoadAsync("doc");
            Assert.Equal([5L, 6], compacted.Records.Select(r => r.Position));
        }
    }

    [Fact]
    public async Task Commit_WrongExpectedHead_ThrowsConflictAndAppliesNothing()
    {
        await using IDocumentStore store = await OpenAsync();
        await store.CommitAsync(Append("doc", "a"));
        DocumentCommit stale = new("doc") { Appends = [Bytes("b")], SetMetadata = [new("k", Bytes("v"))], ExpectedHead = 0 };
        await Assert.ThrowsAsync<DocumentConflictException>(() => store.CommitAsync(stale));
        CommitResult fresh = await store.CommitAsync(new DocumentCommit("doc") { Appends = [Bytes("b")], ExpectedHead = 1 });
        Assert.Equal(2, fresh.Head);
        StoredDocument document = await store.LoadAsync("doc");
        Assert.Equal(["a", "b"], document.Records.Select(r => Text(r.Payload)));
        Assert.Empty(document.Metadata);
    }

    [Theory]
    [InlineData(5, null)] // snapshot beyond the head after the commit (1 + 1 append = 2)
    [InlineData(2, 3L)] // truncation beyond the snapshot
    [InlineData(null, 1L)] // truncation with no snapshot at all
    [InlineData(null, -1L)] // negative truncation
    public async Task Commit_BrokenSnapshotRules_ThrowConflictAndApplyNothing(int? snapshotPosition, long? truncate)
    {
        await using IDocumentStore store = await OpenAsync();
        await store.CommitAsync(Append("doc", "a"));
        var commit = new DocumentCommit("doc")
        {
            Appends = [Bytes("b")],
            Snapshot = snapshotPosition is { } p ? new StoredSnapshot(p, Bytes("s")) : null,
            TruncateThrough = truncate,
        };
        await Assert.ThrowsAsync<DocumentConflictException>(() => store.CommitAsync(commit));
        StoredDocument document = await store.LoadAsync("doc");
        Assert.Equal(1, document.Head);
        Assert.Null(document.Snapshot);
        Assert.Single(document.Records);
    }

    [Fact]
    public async Task Commit_SnapshotOlderThanCurrent_ThrowsConflict()
    {
        await using IDocumentStore store = await OpenAsync();
        await store.CommitAsync(new DocumentCommit("doc") { Appends = [Bytes("a"), Bytes("b")], Snapshot = new StoredSnapshot(2, Bytes("s2")) });
        await Assert.ThrowsAsync<DocumentConflictException>(() => store.CommitAsync(new DocumentCommit("doc") { Snapshot = new StoredSnapshot(1, Bytes("s1")) }));
        Assert.Equal("s2", Text((await store.LoadAsync("doc")).Snapshot!.Payload));
    }

    [Fact]
    public async Task Commit_RepeatedMetadataKey_ThrowsConflict()
    {
        await using IDocumentStore store = await OpenAsync();
        var commit = new DocumentCommit("doc") { Appends = [Bytes("a")], SetMetadata = [new("k", Bytes("1")), new("k", Bytes("2"))] };
        await Assert.ThrowsAsync<DocumentConflictException>(() => store.CommitAsync(commit));
        Assert.True((await store.LoadAsync("doc")).IsEmpty);
    }

    [Fact]
    public async Task Commit_CallerReusesItsBuffer_StoredBytesDoNotChange()
    {
        await using IDocumentStore store = await OpenAsync();
        byte[] buffer = System.Text.Encoding.UTF8.GetBytes("original");
        await store.CommitAsync(new DocumentCommit("doc") { Appends = [buffer], SetMetadata = [new("k", buffer)] });
        buffer.AsSpan().Fill((byte)'x');
        StoredDocument document = await store.LoadAsync("doc");
        Assert.Equal("original", Text(document.Records[0].Payload));
        Assert.Equal("original", Text(document.Metadata["k"]));
    }

    [Fact]
    public async Task ReadLog_FromACursor_PagesAndReportsStartAndHead()
    {
        await using IDocumentStore store = await OpenAsync();
        await store.CommitAsync(Append("doc", "1", "2", "3", "4", "5"));
        LogSlice page = await store.ReadLogAsync("doc", 1, 2);
        Assert.Equal([2L, 3], page.Records.Select(r => r.Position));
        Assert.Equal(["2", "3"], page.Records.Select(r => Text(r.Payload)));
        Assert.Equal(1, page.Start);
        Assert.Equal(5, page.Head);
        Assert.Empty((await store.ReadLogAsync("doc", 5, 10)).Records);

        await store.CommitAsync(new DocumentCommit("doc") { Snapshot = new StoredSnapshot(5, Bytes("s")), TruncateThrough = 3 });
        LogSlice afterCompaction = await store.ReadLogAsync("doc", 0, 10);
        Assert.Equal(4, afterCompaction.Start); // a cursor at 0 missed 1..3: it must load the snapshot
        Assert.Equal([4L, 5], afterCompaction.Records.Select(r => r.Position));

        LogSlice unknown = await store.ReadLogAsync("other", 0, 10);
        Assert.Equal(0, unknown.Head);
        Assert.Empty(unknown.Records);
    }

    [Fact]
    public async Task Commit_ManyWritersOnManyDocuments_EachDocumentKeepsItsCallersOrder()
    {
        await using IDocumentStore store = await OpenAsync();
        const int Writers = 8;
        const int PerWriter = 40;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (int i = 0; i < PerWriter; i++)
            {
                // Two writers share each document; each writer's own records must keep their order.
                await store.CommitAsync(Append($"doc-{w % 4}", $"{w}:{i}"));
            }
        })));

        Assert.Equal(["doc-0", "doc-1", "doc-2", "doc-3"], await store.ListDocumentsAsync());
        for (int d = 0; d < 4; d++)
        {
            StoredDocument document = await store.LoadAsync($"doc-{d}");
            Assert.Equal(2 * PerWriter, document.Head);
            Assert.Equal(Enumerable.Range(1, 2 * PerWriter).Select(p => (long)p), document.Records.Select(r => r.Position));
            foreach (IGrouping<string, int> writer in document.Records.Select(r => Text(r.Payload).Split(':')).GroupBy(parts => parts[0], parts => int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)))
            {
                Assert.Equal(Enumerable.Range(0, PerWriter), writer);
            }
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task InvalidDocumentName_ThrowsArgumentException(int which)
    {
        // (Indices, because xunit's theory serialization would repair an unpaired surrogate.)
        string name = which switch { 0 => string.Empty, 1 => "nul\0inside", 2 => "\ud800unpaired", _ => new string('d', DocumentCommit.MaxDocumentNameLength + 1) };
        await using IDocumentStore store = await OpenAsync();
        Assert.Throws<ArgumentException>(() => new DocumentCommit(name));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.LoadAsync(name));
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.ReadLogAsync(name, 0, 1));
    }

    [Fact]
    public async Task Commit_AfterDispose_ThrowsObjectDisposed()
    {
        IDocumentStore store = await OpenAsync();
        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.CommitAsync(Append("doc", "a")));
    }

    [Fact]
    public async Task Load_LargePayloadsAndManyRecords_RoundTripExactly()
    {
        await using IDocumentStore store = await OpenAsync();
        var random = new Random(7);
        byte[] big = new byte[300_000];
        random.NextBytes(big);
        byte[][] small = [.. Enumerable.Range(0, 500).Select(i => BitConverter.GetBytes(i * 7919L))];
        await store.CommitAsync(new DocumentCommit("doc") { Appends = [.. small.Select(b => (ReadOnlyMemory<byte>)b)] });
        await store.CommitAsync(new DocumentCommit("doc") { Appends = [big], Snapshot = new StoredSnapshot(501, big) });
        StoredDocument document = await store.LoadAsync("doc");
        Assert.Equal(501, document.Records.Length);
        Assert.True(document.Records[^1].Payload.Span.SequenceEqual(big));
        Assert.True(document.Snapshot!.Payload.Span.SequenceEqual(big));
        for (int i = 0; i < small.Length; i++)
        {
            Assert.True(document.Records[i].Payload.Span.SequenceEqual(small[i]));
        }

        ImmutableArray<LogRecord> tail = (await store.ReadLogAsync("doc", 499, 100)).Records;
        Assert.Equal([500L, 501], tail.Select(r => r.Position));
    }
}
