using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Sqlite.Tests;

/// <summary>Failures surface as clear exceptions, apply nothing, and the store keeps working once the cause is gone.</summary>
public sealed class SqliteDocumentStoreFaultTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private static ReadOnlyMemory<byte> Bytes(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    private static string Text(ReadOnlyMemory<byte> bytes) => System.Text.Encoding.UTF8.GetString(bytes.Span);

    private static DocumentCommit Append(string document, params string[] payloads) => new(document) { Appends = [.. payloads.Select(Bytes)] };

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Commit_ReadOnlyDatabase_ThrowsStoreExceptionAppliesNothingAndRecovers()
    {
        await using SqliteDocumentStore store = SqliteDocumentStore.Open(_directory.File("ro.db"));
        await store.CommitAsync(Append("doc", "a"));
        await store.RunOnWriterAsync(static c => Execute(c, "PRAGMA query_only=1"));
        DocumentStoreException error = await Assert.ThrowsAsync<DocumentStoreException>(() => store.CommitAsync(new DocumentCommit("doc") { Appends = [Bytes("b")], SetMetadata = [new("k", Bytes("v"))] }));
        Assert.Contains("Nothing of it was applied", error.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(error.InnerException);
        StoredDocument unchanged = await store.LoadAsync("doc");
        Assert.Equal(["a"], unchanged.Records.Select(r => Text(r.Payload)));
        Assert.Empty(unchanged.Metadata);

        await store.RunOnWriterAsync(static c => Execute(c, "PRAGMA query_only=0"));
        CommitResult after = await store.CommitAsync(Append("doc", "c"));
        Assert.Equal(new CommitResult(2, 2), after);
    }

    [Fact]
    public async Task Commit_DiskFull_ThrowsStoreExceptionAppliesNothingAndRecovers()
    {
        await using SqliteDocumentStore store = SqliteDocumentStore.Open(_directory.File("full.db"));
        await store.CommitAsync(Append("doc", "a"));
        // Cap the database at its current size: the next commit that needs a page gets SQLITE_FULL, as on a full disk.
        await store.RunOnWriterAsync(static c => Execute(c, "PRAGMA max_page_count = " + Scalar(c, "PRAGMA page_count")));
        var big = new byte[256 * 1024];
        Task<CommitResult> small = store.CommitAsync(Append("doc", "grouped with the big one"));
        DocumentStoreException error = await Assert.ThrowsAsync<DocumentStoreException>(() => store.CommitAsync(new DocumentCommit("doc") { Appends = [big] }));
        Assert.Contains("full", error.Message, StringComparison.OrdinalIgnoreCase);
        await small.ContinueWith(static _ => { }, TaskScheduler.Default); // it may have shared the failed transaction, or committed before it
        StoredDocument document = await store.LoadAsync("doc");
        Assert.DoesNotContain(document.Records, r => r.Payload.Length == big.Length);
        Assert.Equal(small.IsCompletedSuccessfully ? 2 : 1, document.Head);

        await store.RunOnWriterAsync(static c => Execute(c, "PRAGMA max_page_count = 1073741823"));
        CommitResult after = await store.CommitAsync(new DocumentCommit("doc") { Appends = [big] });
        Assert.Equal(document.Head + 1, after.Head);
    }

    [Fact]
    public async Task Commit_ConnectionClosedUnderneath_ThrowsStoreExceptionAndReadsStillWork()
    {
        await using SqliteDocumentStore store = SqliteDocumentStore.Open(_directory.File("closed.db"));
        await store.CommitAsync(Append("doc", "a"));
        await store.RunOnWriterAsync(static c => c.Close());
        DocumentStoreException error = await Assert.ThrowsAsync<DocumentStoreException>(() => store.CommitAsync(Append("doc", "b")));
        Assert.Contains("connection", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(["a"], (await store.LoadAsync("doc")).Records.Select(r => Text(r.Payload)));
    }

    [Fact]
    public async Task GroupCommit_CommitsQueuedWhileTheWriterIsBusy_ShareOneTransaction()
    {
        await using SqliteDocumentStore store = SqliteDocumentStore.Open(_directory.File("group.db"));
        using var release = new ManualResetEventSlim();
        Task busy = store.RunOnWriterAsync(_ => release.Wait());
        long before = store.TransactionCount;
        Task<CommitResult>[] commits = [.. Enumerable.Range(0, 50).Select(i => store.CommitAsync(Append($"doc-{i % 3}", $"r{i}")))];
        Assert.All(commits, c => Assert.False(c.IsCompleted)); // nothing acknowledged before its transaction committed
        release.Set();
        await busy;
        CommitResult[] results = await Task.WhenAll(commits);
        Assert.Equal(before + 1, store.TransactionCount);
        // In call order within each document: commit i is record i / 3 + 1 of document i % 3.
        Assert.Equal(Enumerable.Range(0, 50).Select(i => new CommitResult((i / 3) + 1, (i / 3) + 1)), results);
        Assert.Equal(50, (await store.LoadAsync("doc-0")).Head + (await store.LoadAsync("doc-1")).Head + (await store.LoadAsync("doc-2")).Head);
    }

    [Fact]
    public async Task GroupCommit_ARefusedCommitInTheBatch_DoesNotAffectTheOthers()
    {
        await using SqliteDocumentStore store = SqliteDocumentStore.Open(_directory.File("refused.db"));
        using var release = new ManualResetEventSlim();
        Task busy = store.RunOnWriterAsync(_ => release.Wait());
        Task<CommitResult> first = store.CommitAsync(Append("doc", "1"));
        Task<CommitResult> stale = store.CommitAsync(new DocumentCommit("doc") { Appends = [Bytes("stale")], SetMetadata = [new("k", Bytes("v"))], ExpectedHead = 0 });
        Task<CommitResult> third = store.CommitAsync(new DocumentCommit("doc") { Appends = [Bytes("3")], ExpectedHead = 1 });
        release.Set();
        await busy;
        Assert.Equal(new CommitResult(1, 1), await first);
        await Assert.ThrowsAsync<DocumentConflictException>(() => stale);
        Assert.Equal(new CommitResult(2, 2), await third);
        StoredDocument document = await store.LoadAsync("doc");
        Assert.Equal(["1", "3"], document.Records.Select(r => Text(r.Payload)));
        Assert.Empty(document.Metadata);
    }

    [Fact]
    public async Task Open_SecondOpenerOfTheSameFile_FailsAtOnceWithAClearError()
    {
        string path = _directory.File("busy.db");
        await using SqliteDocumentStore first = SqliteDocumentStore.Open(path);
        await first.CommitAsync(Append("doc", "a"));
        DocumentStoreException error = Assert.Throws<DocumentStoreException>(() => SqliteDocumentStore.Open(path));
        Assert.Contains("in use", error.Message, StringComparison.Ordinal);
        await first.CommitAsync(Append("doc", "b")); // the first store is unaffected
        await first.DisposeAsync();
        await using SqliteDocumentStore second = SqliteDocumentStore.Open(path); // released on close
        Assert.Equal(2, (await second.LoadAsync("doc")).Head);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("short")]
    [InlineData("foreign-sqlite")]
    [InlineData("other-application")]
    [InlineData("newer-schema")]
    [InlineData("corrupt-header")]
    public async Task Open_ForeignOrCorruptFile_ThrowsAndLeavesTheFileUntouched(string kind)
    {
        string path = _directory.File(kind + ".db");
        switch (kind)
        {
            case "text":
                await File.WriteAllTextAsync(path, string.Concat(Enumerable.Repeat("my notes, not a database\n", 20)));
                break;
            case "short":
                await File.WriteAllBytesAsync(path, [1, 2, 3]);
                break;
            case "foreign-sqlite":
                WithRawSqlite(path, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'Ada');");
                break;
            case "other-application":
                WithRawSqlite(path, "PRAGMA application_id = 1234;");
                break;
            case "newer-schema":
                await (await SqliteDocumentStoreExtensions.OpenAndWriteAsync(path)).DisposeAsync();
                WithRawSqlite(path, "PRAGMA user_version = 99;");
                break;
            default:
                await (await SqliteDocumentStoreExtensions.OpenAndWriteAsync(path)).DisposeAsync();
                byte[] bytes = await File.ReadAllBytesAsync(path);
                bytes[0] ^= 0xFF;
                await File.WriteAllBytesAsync(path, bytes);
                break;
        }

        byte[] before = await File.ReadAllBytesAsync(path);
        DocumentStoreException error = Assert.Throws<DocumentStoreException>(() => SqliteDocumentStore.Open(path));
        Assert.Contains("untouched", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(path));
        Assert.False(File.Exists(path + "-wal") && new FileInfo(path + "-wal").Length > 0);

        // The lock was released: after the failure the file can still be examined by another opener.
        Assert.Throws<DocumentStoreException>(() => SqliteDocumentStore.Open(path));
    }

    [Fact]
    public async Task Open_EmptyFile_BecomesAStore()
    {
        string path = _directory.File("empty.db");
        await File.WriteAllBytesAsync(path, []);
        await using SqliteDocumentStore store = SqliteDocumentStore.Open(path);
        Assert.Equal(new CommitResult(1, 1), await store.CommitAsync(Append("doc", "a")));
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SqliteDocumentStore.Open(_directory.File("x.db"), new SqliteDocumentStoreOptions { MaxCommitsPerTransaction = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SqliteDocumentStore.Open(_directory.File("x.db"), new SqliteDocumentStoreOptions { Durability = (SqliteDurability)7 }));
    }

    [Theory]
    [InlineData(SqliteDurability.Full, 2L)]
    [InlineData(SqliteDurability.Normal, 1L)]
    public async Task Durability_SetsTheSynchronousPragma(SqliteDurability durability, long expected)
    {
        await using SqliteDocumentStore store = SqliteDocumentStore.Open(_directory.File("sync.db"), new SqliteDocumentStoreOptions { Durability = durability });
        long synchronous = 0;
        string journal = string.Empty;
        await store.RunOnWriterAsync(c =>
        {
            synchronous = Scalar(c, "PRAGMA synchronous");
            using SqliteCommand command = c.CreateCommand();
            command.CommandText = "PRAGMA journal_mode";
            journal = (string)command.ExecuteScalar()!;
        });
        Assert.Equal(expected, synchronous);
        Assert.Equal("wal", journal);
    }

    private static void WithRawSqlite(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, sql);
    }

    internal static void Execute(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static long Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static class SqliteDocumentStoreExtensions
    {
        public static async Task<SqliteDocumentStore> OpenAndWriteAsync(string path)
        {
            SqliteDocumentStore store = SqliteDocumentStore.Open(path);
            await store.CommitAsync(new DocumentCommit("doc") { Appends = [Bytes("a")] });
            return store;
        }
    }
}
