using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Counters;
using Sync.Crdt.OfflineDemo;
using Sync.Crdt.Replication;
using Sync.Crdt.Sets;
using Sync.Crdt.Storage.Sqlite;

// Offline-first replicas on SQLite: two devices write to their own database files, one goes offline, keeps writing in
// a separate process that is killed (SIGKILL) mid-write, restarts, and both converge without losing an acknowledged write.
//   dotnet run --project samples/Sync.Crdt.OfflineDemo
if (args.Length == 3 && args[0] == "--offline-writer")
{
    return await OfflineWriter.RunAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
}

string folder = Path.Combine(Path.GetTempPath(), "sync-crdt-offline-demo-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(folder);
string phonePath = Path.Combine(folder, "phone.db");
string laptopPath = Path.Combine(folder, "laptop.db");
Console.WriteLine($"databases in {folder}");

var network = new LocalNetwork();
SqliteDocumentStore laptopStore = SqliteDocumentStore.Open(laptopPath);
SqliteDocumentStore phoneStore = SqliteDocumentStore.Open(phonePath);
DurableReplica laptop = await OpenAsync(laptopStore, "laptop");
DurableReplica phone = await OpenAsync(phoneStore, "phone");
await phone.AddPeerAsync(laptop.Replica);
await laptop.AddPeerAsync(phone.Replica);
await AddAsync(phone, "milk");
await AddAsync(laptop, "bread");
await network.SyncAsync(phone, laptop);
Console.WriteLine($"1. online, synced:           phone {Show(phone)} | laptop {Show(laptop)}");

// The phone goes offline and its app process writes on, until it is killed.
network.Offline(phone);
await phone.DisposeAsync();
await phoneStore.DisposeAsync();
List<string> acknowledged = await RunOfflineWriterAndKillItAsync(phonePath);
Console.WriteLine($"2. offline phone process acknowledged {acknowledged.Count} writes, then was killed with SIGKILL");
await AddAsync(laptop, "coffee");
Console.WriteLine($"3. meanwhile the laptop:      laptop {Show(laptop)}");

// Restart: the phone reopens its database under a fresh incarnation; every acknowledged write is there.
phoneStore = SqliteDocumentStore.Open(phonePath);
DurableReplica restarted = await OpenAsync(phoneStore, "phone");
bool allThere = acknowledged.All(item => restarted.Get(Shared.Cart).Contains(item));
Console.WriteLine($"4. phone restarted as {restarted.Replica}: all {acknowledged.Count} acknowledged writes present: {allThere}");
await laptop.RemovePeerAsync(phone.Replica);
await laptop.AddPeerAsync(restarted.Replica);
long before = restarted.BytesSent;
await network.SyncAsync(restarted, laptop);
Console.WriteLine($"5. back online, synced ({restarted.BytesSent - before} bytes sent by the phone: deltas from its log, not its full state)");
Console.WriteLine($"   phone  {Show(restarted)}");
Console.WriteLine($"   laptop {Show(laptop)}");
bool converged = restarted.Vector.Equals(laptop.Vector) && restarted.Get(Shared.Cart).OrderBy(i => i, StringComparer.Ordinal).SequenceEqual(laptop.Get(Shared.Cart).OrderBy(i => i, StringComparer.Ordinal));
bool nothingLost = acknowledged.All(item => laptop.Get(Shared.Cart).Contains(item)) && laptop.Get(Shared.Cart).Contains("coffee");
Console.WriteLine($"converged: {converged}, no acknowledged write lost: {nothingLost}");

await restarted.DisposeAsync();
await laptop.DisposeAsync();
await phoneStore.DisposeAsync();
await laptopStore.DisposeAsync();
Directory.Delete(folder, recursive: true);
return converged && nothingLost && allThere ? 0 : 1;

async Task<DurableReplica> OpenAsync(SqliteDocumentStore store, string name)
{
    DurableReplica? replica = null;
    replica = await DurableReplica.OpenAsync(store, "shopping", name, Shared.Serializer, network.SenderFor(() => replica!.Replica));
    network.Online(replica);
    await replica.DefineAsync(Shared.Cart, ORSet<string>.Empty); // no-ops when the database already holds them
    await replica.DefineAsync(Shared.Edits, GCounter.Empty);
    return replica;
}

static async Task AddAsync(DurableReplica replica, string item)
{
    await replica.UpdateAsync(Shared.Cart, (cart, me, out delta) => cart.Add(me, item, out delta));
    await replica.UpdateAsync(Shared.Edits, (edits, me, out delta) => edits.Increment(me, 1, out delta));
}

static string Show(DurableReplica replica)
{
    ORSet<string> cart = replica.Get(Shared.Cart);
    string items = string.Join(", ", cart.Where(i => !i.StartsWith("offline-", StringComparison.Ordinal)).OrderBy(i => i, StringComparer.Ordinal));
    int offline = cart.Count(i => i.StartsWith("offline-", StringComparison.Ordinal));
    return $"[{items}{(offline > 0 ? $" + {offline} offline items" : string.Empty)}] edits={replica.Get(Shared.Edits).Value}";
}

static async Task<List<string>> RunOfflineWriterAndKillItAsync(string database)
{
    var acks = new List<string>();
    var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
    {
        start.ArgumentList.Add(typeof(Shared).Assembly.Location);
    }

    start.ArgumentList.Add("--offline-writer");
    start.ArgumentList.Add(database);
    start.ArgumentList.Add("1000");
    using var child = new Process { StartInfo = start };
    child.OutputDataReceived += (_, e) =>
    {
        if (e.Data is { } line && line.StartsWith("ACK ", StringComparison.Ordinal))
        {
            lock (acks)
            {
                acks.Add(line[4..]);
                if (acks.Count >= 20)
                {
                    enough.TrySetResult();
                }
            }
        }
    };
    child.Start();
    child.BeginOutputReadLine();
    await enough.Task.WaitAsync(TimeSpan.FromSeconds(60));
    child.Kill(); // SIGKILL: no shutdown, no flush
    await child.WaitForExitAsync();
    child.WaitForExit();
    lock (acks)
    {
        return [.. acks];
    }
}

/// <summary>The phone's app while offline: adds items, printing each one once it is durable, until killed.</summary>
internal static class OfflineWriter
{
    public static async Task<int> RunAsync(string database, int count)
    {
        await using SqliteDocumentStore store = SqliteDocumentStore.Open(database);
        await using DurableReplica replica = await DurableReplica.OpenAsync(store, "shopping", "phone", Shared.Serializer, static (_, _) => { });
        for (int i = 1; i <= count; i++)
        {
            string item = "offline-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await replica.UpdateAsync(Shared.Cart, (cart, me, out delta) => cart.Add(me, item, out delta));
            Console.WriteLine("ACK " + item); // acknowledged = committed to phone.db
            Console.Out.Flush();
            Thread.Sleep(5);
        }

        return 0;
    }
}
