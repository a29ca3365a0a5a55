using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Data.Sqlite;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Sets;
using Xunit.Abstractions;

namespace Sync.Crdt.Storage.Sqlite.Tests;

/// <summary>
/// Kills a real writer process (SIGKILL) at random moments and checks that every write it reported as acknowledged
/// survived, the database is intact, and writing continues. 30 kills by default; set SYNC_CRDT_CRASH_KILLS for more.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private static readonly ReplicatedKey<ORSet<string>> Tags = new("tags");
    private static readonly ReplicationSerializer Serializer = new([ReplicatedValueFormat.Create(CrdtCodecs.ORSet(CrdtCodecs.String))]);
    private readonly TempDirectory _directory = new();
    private readonly ITestOutputHelper _output;

    public CrashTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Sigkill_AtRandomMoments_EveryAcknowledgedWriteSurvives()
    {
        int kills = int.TryParse(Environment.GetEnvironmentVariable("SYNC_CRDT_CRASH_KILLS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int configured) && configured > 0 ? configured : 30;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("SYNC_CRDT_CRASH_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) ? s : 20261202;
        var random = new Random(seed);
        string path = _directory.File("crash.db");
        var acknowledged = new HashSet<string>(StringComparer.Ordinal);
        int killedWithWritesInFlight = 0;
        for (int kill = 0; kill < kills; kill++)
        {
            string durability = kill % 2 == 0 ? "full" : "normal";
            using Process child = StartWriter(path, (kill + 1) * 10_000_000L, durability, out List<string> acks, out TaskCompletionSource ready, out TaskCompletionSource firstAck);
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
            if (kill % 5 != 4)
            {
                // Mostly mid-stream (commits in flight, group commits queued); every fifth kill hits the start-up instead.
                await firstAck.Task.WaitAsync(TimeSpan.FromSeconds(60));
            }

            await Task.Delay(random.Next(0, 150));
            child.Kill(); // SIGKILL on Unix
            await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            child.WaitForExit(); // drains the output
            lock (acks)
            {
                acknowledged.UnionWith(acks);
                killedWithWritesInFlight += acks.Count > 0 ? 1 : 0;
            }

            Assert.Equal("ok", IntegrityCheck(path));
            await using SqliteDocumentStore store = SqliteDocumentStore.Open(path);
            await using DurableReplica replica = await DurableReplica.OpenAsync(store, "crash", "verifier", Serializer, static (_, _) => { });
            ORSet<string> present = replica.TryGet(Tags, out ORSet<string>? set) ? set : ORSet<string>.Empty;
            foreach (string tag in acknowledged)
            {
                Assert.True(present.Contains(tag), $"acknowledged write {tag} lost after kill {kill} (seed {seed})");
            }
        }

        _output.WriteLine($"{kills} kills, {acknowledged.Count} acknowledged writes checked, seed {seed}");
        Assert.True(killedWithWritesInFlight >= kills / 2, $"only {killedWithWritesInFlight} of {kills} kills hit a writer that had acknowledged writes");
        Assert.True(acknowledged.Count >= kills, "the writers acknowledged too few writes for the test to mean anything");

        // Writing continues after the last kill.
        await using SqliteDocumentStore final = SqliteDocumentStore.Open(path);
        await using DurableReplica after = await DurableReplica.OpenAsync(final, "crash", "verifier", Serializer, static (_, _) => { });
        await after.UpdateAsync(Tags, (set, me, out delta) => set.Add(me, "after-the-crashes", out delta));
        Assert.True(after.Get(Tags).Contains("after-the-crashes"));
    }

    [Fact]
    public async Task SecondProcess_OpeningAnOpenStore_FailsAtOnceWithAClearError()
    {
        string path = _directory.File("locked.db");
        using Process writer = StartWriter(path, 0, "full", out _, out TaskCompletionSource ready, out _);
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var opener = Process.Start(StartInfo("tryopen", path))!;
            string output = await opener.StandardOutput.ReadToEndAsync();
            Assert.True(opener.WaitForExit(20_000), "the second opener hung instead of failing at once");
            Assert.Equal(3, opener.ExitCode);
            Assert.Contains("LOCKED", output, StringComparison.Ordinal);
            Assert.Contains("in use", output, StringComparison.Ordinal);
        }
        finally
        {
            writer.Kill();
            await writer.WaitForExitAsync();
        }
    }

    private static Process StartWriter(string path, long firstTag, string durability, out List<string> acks, out TaskCompletionSource ready, out TaskCompletionSource firstAck)
    {
        var lines = new List<string>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var acknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = StartInfo("write", path, firstTag.ToString(CultureInfo.InvariantCulture), durability) };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            if (e.Data == "READY")
            {
                started.TrySetResult();
            }
            else if (e.Data.StartsWith("ACK ", StringComparison.Ordinal) && e.Data.EndsWith(" END", StringComparison.Ordinal))
            {
                lock (lines)
                {
                    lines.Add(e.Data[4..^4]);
                }

                acknowledged.TrySetResult();
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        acks = lines;
        ready = started;
        firstAck = acknowledged;
        return process;
    }

    private static ProcessStartInfo StartInfo(params string[] arguments)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Sync.Crdt.Storage.Sqlite.CrashWriter.dll"));
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private static string IntegrityCheck(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, Mode = SqliteOpenMode.ReadWrite }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }
}
