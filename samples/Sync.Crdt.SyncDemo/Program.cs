using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Client;
using Sync.Crdt.Counters;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Sets;
using Sync.Crdt.Storage.Sqlite;
using Sync.Crdt.SyncDemo;
using Sync.Ot;

// `serve --db PATH [--port N]`: only the server, until the process is stopped (prints "listening <uri>").
if (args.Length > 0 && args[0] == "serve")
{
    string db = args.SkipWhile(a => a != "--db").Skip(1).FirstOrDefault() ?? Path.Combine(Path.GetTempPath(), "sync-demo.db");
    int port = int.Parse(args.SkipWhile(a => a != "--port").Skip(1).FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
    await using SyncServerHost host = await SyncServerHost.StartAsync(db, port);
    Console.WriteLine($"listening {host.SyncUri}");
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
    }

    return 0;
}

string folder = Directory.CreateTempSubdirectory("sync-demo-").FullName;
try
{
    return await Demo.RunAsync(folder);
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    Directory.Delete(folder, recursive: true);
}

internal static class Demo
{
    private static readonly ReplicatedKey<ORSet<string>> Cart = new("cart");
    private static readonly ReplicatedKey<GCounter> Views = new("page-views");

    public static async Task<int> RunAsync(string folder)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        CancellationToken token = timeout.Token;
        string serverDb = Path.Combine(folder, "server.db");
        await using SyncServerHost server = await SyncServerHost.StartAsync(serverDb);
        Console.WriteLine($"server: listening on {server.SyncUri}, documents in SQLite at {serverDb}");

        // Carol's phone keeps its documents and pending changes in its own SQLite file.
        await using SqliteDocumentStore phoneStore = SqliteDocumentStore.Open(Path.Combine(folder, "carol-phone.db"));
        await using CrdtSyncClient alice = Client(server, "alice-laptop", null);
        await using CrdtSyncClient bob = Client(server, "bob-desktop", null);
        await using CrdtSyncClient carol = Client(server, "carol-phone", phoneStore);
        CrdtSyncClient[] clients = [alice, bob, carol];
        foreach (CrdtSyncClient client in clients)
        {
            string name = client == alice ? "alice" : client == bob ? "bob" : "carol";
            client.StateChanged += (_, state) => Console.WriteLine($"  {name}: {state}");
        }

        ValuesDocument[] shops = [await alice.OpenValuesAsync("shop", token), await bob.OpenValuesAsync("shop", token), await carol.OpenValuesAsync("shop", token)];
        TextSyncDocument[] notes = [await alice.OpenTextAsync("notes", token), await bob.OpenTextAsync("notes", token), await carol.OpenTextAsync("notes", token)];
        OtSyncDocument[] memos = [await alice.OpenOtAsync("memo", token), await bob.OpenOtAsync("memo", token), await carol.OpenOtAsync("memo", token)];
        foreach (CrdtSyncClient client in clients)
        {
            client.Start();
        }

        await Task.WhenAll(clients.Select(c => c.WaitForOnlineAsync(token)));
        Console.WriteLine("all three clients are online over WebSockets");

        foreach (ValuesDocument shop in shops)
        {
            await shop.DefineAsync(Cart, ORSet<string>.Empty, token);
            await shop.DefineAsync(Views, GCounter.Empty, token);
        }

        await shops[0].UpdateAsync(Cart, static (s, r, out d) => s.Add(r, "milk", out d), token);
        await shops[1].UpdateAsync(Views, static (c, r, out d) => c.Increment(r, 3, out d), token);
        notes[0].Insert(0, "Shopping list");
        memos[1].Apply(TextOperation.Insert(0, 0, "Meeting at 10"));
        await AllAcknowledged(shops, notes, memos, token);
        Console.WriteLine("alice added milk, bob counted 3 views, alice titled the notes, bob wrote the memo: acknowledged (durable on the server)");

        Console.WriteLine("carol goes offline and keeps editing");
        carol.SetOffline(true);
        await shops[2].UpdateAsync(Cart, static (s, r, out d) => s.Add(r, "eggs", out d), token);
        await shops[2].UpdateAsync(Views, static (c, r, out d) => c.Increment(r, 2, out d), token);
        notes[2].Insert(notes[2].Length, " (carol: bring bags)");
        memos[2].Apply(TextOperation.Insert(memos[2].CodePointLength, memos[2].CodePointLength, " sharp"));
        Console.WriteLine($"  carol, offline: cart {{{string.Join(", ", shops[2].Get(Cart).Order())}}}, pending changes: {shops[2].HasPendingChanges}");

        await shops[1].UpdateAsync(Cart, static (s, r, out d) => s.Remove("milk", out d), token);
        notes[1].Insert(0, "# ");
        memos[0].Apply(TextOperation.Insert(memos[0].CodePointLength, 0, "Note: "));
        Console.WriteLine("meanwhile bob removed the milk and edited the notes; alice edited the memo");

        Console.WriteLine("carol comes back online");
        carol.SetOffline(false);
        await AllAcknowledged(shops, notes, memos, token);
        while (!Converged(shops, notes, memos))
        {
            await Task.Delay(20, token);
        }

        Console.WriteLine($"converged: cart {{{string.Join(", ", shops[0].Get(Cart).Order())}}}, page views {shops[0].Get(Views).Value}");
        Console.WriteLine($"  notes: \"{notes[0].Text}\"");
        Console.WriteLine($"  memo (OT, revision {memos[0].Revision}): \"{memos[0].Text}\"");
        bool expected = shops[0].Get(Views).Value == 5 && shops[0].Get(Cart).Contains("eggs") && !shops[0].Get(Cart).Contains("milk");
        Console.WriteLine(expected ? "OK: every client holds the same documents, including carol's offline edits" : "UNEXPECTED final state");
        return expected ? 0 : 1;
    }

    private static CrdtSyncClient Client(SyncServerHost server, string replica, Sync.Crdt.Replication.Storage.IDocumentStore? store)
    {
        var options = new CrdtSyncClientOptions
        {
            ServerUri = server.SyncUri,
            Replica = replica,
            Store = store,
            InitialReconnectDelay = TimeSpan.FromMilliseconds(100),
        };
        foreach (ReplicatedValueFormat format in SyncServerHost.ValueFormats)
        {
            options.ValueFormats.Add(format);
        }

        return new CrdtSyncClient(options);
    }

    private static async Task AllAcknowledged(ValuesDocument[] shops, TextSyncDocument[] notes, OtSyncDocument[] memos, CancellationToken token)
    {
        await Task.WhenAll(shops.Select(d => d.WaitForAcknowledgedAsync(token)));
        await Task.WhenAll(notes.Select(d => d.WaitForAcknowledgedAsync(token)));
        await Task.WhenAll(memos.Select(d => d.WaitForAcknowledgedAsync(token)));
    }

    private static bool Converged(ValuesDocument[] shops, TextSyncDocument[] notes, OtSyncDocument[] memos) =>
        shops.Select(d => d.Get(Views).Value).Distinct().Count() == 1
        && shops.Select(d => string.Join(",", d.Get(Cart).Order())).Distinct().Count() == 1
        && notes.Select(d => d.Text).Distinct().Count() == 1
        && memos.Select(d => d.Text).Distinct().Count() == 1;
}
