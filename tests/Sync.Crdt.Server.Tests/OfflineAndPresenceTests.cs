using System;
using System.Linq;
using System.Threading.Tasks;
using Sync.Crdt.Causality;
using Sync.Crdt.Client;
using Sync.Crdt.Counters;
using Sync.Crdt.Protocol;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Storage;
using Sync.Ot;

namespace Sync.Crdt.Server.Tests;

public sealed class OfflineAndPresenceTests
{
    private static readonly ReplicatedKey<GCounter> Views = new("views");

    [Fact]
    public async Task Text_EditsOfflineThenReconnects_ConvergesAndSendsOnlyWhatTheServerLacks()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using CrdtSyncClient alice = server.CreateClient("alice");
        await using CrdtSyncClient bob = server.CreateClient("bob");
        TextSyncDocument a = await alice.OpenTextAsync("doc");
        TextSyncDocument b = await bob.OpenTextAsync("doc");
        alice.Start();
        bob.Start();
        await Task.WhenAll(alice.WaitForOnlineAsync(), bob.WaitForOnlineAsync()).Within();
        a.Insert(0, "shared ");
        await Eventually.HoldsAsync(() => b.Text == "shared ", () => b.Text);

        alice.SetOffline(true);
        await Eventually.HoldsAsync(() => alice.State == ConnectionState.Offline, () => alice.State.ToString());
        a.Insert(7, "offline-alice ");
        b.Insert(0, "[bob] ");
        Assert.True(a.HasPendingChanges);
        await b.WaitForAcknowledgedAsync().Within();
        long headBefore = (await server.Store.LoadAsync("doc")).Head;

        alice.SetOffline(false);
        await a.WaitForAcknowledgedAsync().Within();
        await Eventually.HoldsAsync(() => a.Text == b.Text && a.Text.Contains("offline-alice", StringComparison.Ordinal), () => $"{a.Text} | {b.Text}");
        Assert.Equal(2, alice.ConnectionCount);
        Assert.Equal(headBefore + 1, (await server.Store.LoadAsync("doc")).Head);
    }

    [Fact]
    public async Task Values_ServerRestartsOnTheSameStore_ClientsReconnectAndEveryAcknowledgedChangeSurvives()
    {
        var store = new InMemoryDocumentStore();
        TestServer server = await TestServer.StartAsync(store: store);
        Uri uri = server.SyncUri;
        await using CrdtSyncClient alice = server.CreateClient("alice");
        ValuesDocument doc = await alice.OpenValuesAsync("stats");
        alice.Start();
        await alice.WaitForOnlineAsync().Within();
        await doc.DefineAsync(Views, GCounter.Empty);
        await doc.UpdateAsync(Views, static (c, r, out d) => c.Increment(r, 3, out d));
        await doc.WaitForAcknowledgedAsync().Within();
        await server.DisposeAsync();

        // Offline edits while the server is down.
        await doc.UpdateAsync(Views, static (c, r, out d) => c.Increment(r, 4, out d));
        Assert.True(doc.HasPendingChanges);

        await using TestServer restarted = await TestServer.StartAsync(store: store);
        await using CrdtSyncClient reader = restarted.CreateClient("reader");
        ValuesDocument readerDoc = await reader.OpenValuesAsync("stats");
        reader.Start();
        await reader.WaitForOnlineAsync().Within();
        Assert.Equal(3, readerDoc.Get(Views).Value);
        Assert.NotEqual(uri, restarted.SyncUri);
    }

    [Fact]
    public async Task Ot_OfflineOperationsAreSentAfterReconnectOnce()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using CrdtSyncClient alice = server.CreateClient("alice");
        await using CrdtSyncClient bob = server.CreateClient("bob");
        OtSyncDocument a = await alice.OpenOtAsync("memo");
        OtSyncDocument b = await bob.OpenOtAsync("memo");
        alice.SetOffline(true);
        alice.Start();
        bob.Start();
        await bob.WaitForOnlineAsync().Within();
        a.Apply(TextOperation.Insert(0, 0, "alice "));
        a.Apply(TextOperation.Insert(6, 6, "again"));
        b.Apply(TextOperation.Insert(0, 0, "bob "));
        await b.WaitForAcknowledgedAsync().Within();

        alice.SetOffline(false);
        await a.WaitForAcknowledgedAsync().Within();
        await Eventually.HoldsAsync(() => a.Text == b.Text && a.Text.Length == "alice again".Length + "bob ".Length, () => $"{a.Text} | {b.Text}");
        Assert.Equal(3, (await server.Store.LoadAsync("memo")).Head);
    }

    [Fact]
    public async Task Presence_SeenByOthersAtStablePositions_RemovedOnLeave_NeverStored()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using CrdtSyncClient alice = server.CreateClient("alice");
        CrdtSyncClient bob = server.CreateClient("bob");
        TextSyncDocument a = await alice.OpenTextAsync("doc");
        TextSyncDocument b = await bob.OpenTextAsync("doc");
        alice.Start();
        bob.Start();
        await Task.WhenAll(alice.WaitForOnlineAsync(), bob.WaitForOnlineAsync()).Within();
        b.Insert(0, "hello world");
        await Eventually.HoldsAsync(() => a.Text == "hello world", () => a.Text);
        long head = (await server.Store.LoadAsync("doc")).Head;

        b.SetPresence(6, 11, "{\"name\":\"Bob\"}");
        await Eventually.HoldsAsync(() => a.Participants.ContainsKey(new ReplicaId("bob")), () => "no presence");
        PresenceState seen = a.Participants[new ReplicaId("bob")];
        Assert.Equal("{\"name\":\"Bob\"}", seen.UserInfo);
        a.Insert(0, ">> ");
        Assert.True(a.TryResolve(seen.Anchor, out int anchor));
        Assert.Equal(9, anchor);
        await a.WaitForAcknowledgedAsync().Within();

        // One record for alice's insert; presence was never stored.
        Assert.Equal(head + 1, (await server.Store.LoadAsync("doc")).Head);

        await bob.DisposeAsync();
        await Eventually.HoldsAsync(() => a.Participants.Count == 0, () => "presence not removed");
    }

    [Fact]
    public async Task Presence_NotRefreshed_ExpiresOnTheServer()
    {
        await using TestServer server = await TestServer.StartAsync(o => o.PresenceTimeout = TimeSpan.FromMilliseconds(300));
        await using CrdtSyncClient alice = server.CreateClient("alice");
        await using CrdtSyncClient bob = server.CreateClient("bob", o => o.PresenceRefreshInterval = TimeSpan.FromHours(1));
        TextSyncDocument a = await alice.OpenTextAsync("doc");
        TextSyncDocument b = await bob.OpenTextAsync("doc");
        alice.Start();
        bob.Start();
        await Task.WhenAll(alice.WaitForOnlineAsync(), bob.WaitForOnlineAsync()).Within();
        b.SetPresence(0, 0, "bob");
        await Eventually.HoldsAsync(() => a.Participants.Count == 1, () => "no presence");
        await Eventually.HoldsAsync(() => a.Participants.Count == 0, () => "presence did not expire");
        Assert.Equal(ConnectionState.Online, bob.State);
    }
}
