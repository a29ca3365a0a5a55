using System;
using System.Threading.Tasks;
using Sync.Crdt.Causality;
using Sync.Crdt.Client;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Maps;
using Sync.Crdt.Protocol;
using Sync.Crdt.Registers;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Server.Tests;

/// <summary>
/// The ownership rule inside CRDT values over real sockets: a connection may introduce new dots, counter entries,
/// writes and vector entries only for its own replica id; known information of others may be re-sent.
/// </summary>
public sealed class ForgedValuesTests
{
    private static readonly ReplicaId Bob = new("bob");

    private static readonly ReplicatedValueFormat[] ExtraFormats =
    [
        ReplicatedValueFormat.Create(CrdtCodecs.PNCounter),
        ReplicatedValueFormat.Create(CrdtCodecs.LWWRegister(CrdtCodecs.String)),
        ReplicatedValueFormat.Create(CrdtCodecs.MVRegister(CrdtCodecs.String)),
        ReplicatedValueFormat.Create(CrdtCodecs.LWWMap(CrdtCodecs.String, CrdtCodecs.String)),
        ReplicatedValueFormat.Create(CrdtCodecs.ORMap(CrdtCodecs.String, CrdtCodecs.GCounter)),
        ReplicatedValueFormat.Create(CrdtCodecs.VersionVector),
    ];

    private static readonly ReplicationSerializer Serializer = new([.. TestServer.Formats, .. ExtraFormats]);

    [Fact]
    public Task GCounter_ForeignIncrement_Rejected() => RunAsync(
        new ReplicatedKey<GCounter>("views"),
        GCounter.Empty,
        static (c, r, out d) => c.Increment(r, 2, out d),
        static (c, r, out d) => c.Increment(Bob, 100, out d),
        static (c, r, out d) => c.Increment(r, 1, out d));

    [Fact]
    public Task PNCounter_ForeignDecrement_Rejected() => RunAsync(
        new ReplicatedKey<PNCounter>("stock"),
        PNCounter.Empty,
        static (c, r, out d) => c.Increment(r, 5, out d),
        static (c, r, out d) => c.Decrement(Bob, 50, out d),
        static (c, r, out d) => c.Decrement(r, 1, out d));

    [Fact]
    public Task ORSet_ForeignDot_Rejected() => RunAsync(
        new ReplicatedKey<ORSet<string>>("items"),
        ORSet<string>.Empty,
        static (s, r, out d) => s.Add(r, "milk", out d),
        static (s, r, out d) => s.Add(Bob, "forged", out d),
        static (s, r, out d) => s.Remove("milk", out d));

    [Fact]
    public Task MVRegister_ForeignWrite_Rejected() => RunAsync(
        new ReplicatedKey<MVRegister<string>>("title"),
        MVRegister<string>.Empty,
        static (m, r, out d) => m.Set(r, "bob's", out d),
        static (m, r, out d) => m.Set(Bob, "forged", out d),
        static (m, r, out d) => m.Set(r, "alice's", out d));

    [Fact]
    public Task LWWRegister_ForeignTimestamp_Rejected() => RunAsync(
        new ReplicatedKey<LWWRegister<string>>("status"),
        LWWRegister<string>.Empty,
        static (g, r, out d) => g.Set(new LWWTimestamp(10, r), "bob's", out d),
        static (g, r, out d) => g.Set(new LWWTimestamp(20, Bob), "forged", out d),
        static (g, r, out d) => g.Set(new LWWTimestamp(30, r), "alice's", out d));

    [Fact]
    public Task LWWMap_ForeignTimestamp_Rejected() => RunAsync(
        new ReplicatedKey<LWWMap<string, string>>("settings"),
        LWWMap<string, string>.Empty,
        static (m, r, out d) => m.Put(new LWWTimestamp(10, r), "theme", "dark", out d),
        static (m, r, out d) => m.Put(new LWWTimestamp(20, Bob), "theme", "forged", out d),
        static (m, r, out d) => m.Put(new LWWTimestamp(30, r), "font", "serif", out d));

    [Fact]
    public Task ORMap_ForeignDot_Rejected() => RunAsync(
        new ReplicatedKey<ORMap<string, GCounter>>("scores"),
        ORMap<string, GCounter>.Empty,
        static (m, r, out d) => m.Update(r, "bob", static (c, w, out cd) => c.Increment(w, 3, out cd), out d),
        static (m, r, out d) => m.Update(Bob, "bob", static (c, w, out cd) => c.Increment(w, 90, out cd), out d),
        static (m, r, out d) => m.Update(r, "alice", static (c, w, out cd) => c.Increment(w, 1, out cd), out d));

    [Fact]
    public Task ORMap_ForeignNestedEntryUnderOwnDot_Rejected() => RunAsync(
        new ReplicatedKey<ORMap<string, GCounter>>("scores"),
        ORMap<string, GCounter>.Empty,
        static (m, r, out d) => m.Update(r, "bob", static (c, w, out cd) => c.Increment(w, 3, out cd), out d),
        static (m, r, out d) => m.Update(r, "bob", static (c, w, out cd) => c.Increment(new ReplicaId("bob#1"), 90, out cd), out d),
        static (m, r, out d) => m.Update(r, "bob", static (c, w, out cd) => c.Increment(w, 1, out cd), out d));

    [Fact]
    public Task VersionVector_ForeignEntry_Rejected() => RunAsync(
        new ReplicatedKey<VersionVector>("seen"),
        VersionVector.Empty,
        static (v, r, out d) => d = v.Increment(r),
        static (v, r, out d) => d = v.Advance(Bob, 40),
        static (v, r, out d) => d = v.Increment(r));

    [Fact]
    public async Task ForeignDotRemovedAtServer_ReAddedWithItsHistory_Accepted()
    {
        // bob writes key "k"; alice learns it; bob removes it; alice's concurrent update of "k" carries bob's old
        // nested lineage, which the server has seen (and removed): add-wins re-adds it, and it must be accepted.
        var key = new ReplicatedKey<ORMap<string, GCounter>>("scores");
        await using TestServer server = await StartAsync();
        await using CrdtSyncClient bob = CreateClient(server, "bob");
        ValuesDocument bobDoc = await OpenAsync(bob);
        await bobDoc.DefineAsync(key, ORMap<string, GCounter>.Empty);
        await bobDoc.UpdateAsync(key, static (m, r, out d) => m.Update(r, "k", static (c, w, out cd) => c.Increment(w, 3, out cd), out d));
        await bobDoc.WaitForAcknowledgedAsync().Within();

        await using RawSyncSocket alice = await RawSyncSocket.ConnectAsync(server.SyncUri, "alice");
        DeltaReplicator aliceState = await OpenRawAsync(alice, "alice");
        await bobDoc.UpdateAsync(key, static (m, r, out d) => m.Remove("k", out d));
        await bobDoc.WaitForAcknowledgedAsync().Within();

        aliceState.Update(key, static (m, r, out d) => m.Update(r, "k", static (c, w, out cd) => c.Increment(w, 1, out cd), out d));
        await SendPushAsync(alice, aliceState, 1);
        await ExpectAckAsync(alice);
        await Eventually.HoldsAsync(() => bobDoc.TryGet(key, out ORMap<string, GCounter>? m) && m.TryGetValue("k", out GCounter? c) && c.Value == 4, () => $"bob sees {bobDoc.Get(key)}");
    }

    /// <summary>
    /// bob writes through a real client; mallory (a raw socket that learned the server's state) sends a group with
    /// bob's forged information and is disconnected with nothing stored; alice (a raw socket) then writes her own
    /// change and re-sends everything she knows, bob's information included, as a full state: accepted, stored and
    /// forwarded, and bob converges to exactly alice's state.
    /// </summary>
    private static async Task RunAsync<T>(ReplicatedKey<T> key, T initial, DeltaMutator<T> bobWrites, DeltaMutator<T> forge, DeltaMutator<T> ownWrite)
        where T : class, IMergeable<T>
    {
        await using TestServer server = await StartAsync();
        await using CrdtSyncClient bob = CreateClient(server, "bob");
        ValuesDocument bobDoc = await OpenAsync(bob);
        await bobDoc.DefineAsync(key, initial);
        await bobDoc.UpdateAsync(key, bobWrites);
        await bobDoc.WaitForAcknowledgedAsync().Within();
        long head = (await server.Store.LoadAsync("doc")).Head;

        await using (RawSyncSocket mallory = await RawSyncSocket.ConnectAsync(server.SyncUri, "mallory"))
        {
            DeltaReplicator malloryState = await OpenRawAsync(mallory, "mallory");
            malloryState.Update(key, forge);
            await SendPushAsync(mallory, malloryState, 1);
            await mallory.ExpectErrorAsync(SyncErrorCode.ForgedDots);
        }

        Assert.Equal(head, (await server.Store.LoadAsync("doc")).Head);
        T before = bobDoc.Get(key);

        await using RawSyncSocket alice = await RawSyncSocket.ConnectAsync(server.SyncUri, "alice");
        DeltaReplicator aliceState = await OpenRawAsync(alice, "alice");
        Assert.Equal(before, aliceState.Get(key));
        T expected = aliceState.Update(key, ownWrite);
        var full = new FullStateMessage("alice", aliceState.Vector, aliceState.CreateSnapshot().Values);
        await alice.SendAsync(new UpdateFrame(1, 1, Serializer.SerializeToBytes(full)));
        await ExpectAckAsync(alice);
        Assert.True((await server.Store.LoadAsync("doc")).Head > head, "alice's change was stored");
        await Eventually.HoldsAsync(() => bobDoc.Get(key).Equals(expected), () => $"bob sees {bobDoc.Get(key)}, alice wrote {expected}");
    }

    private static Task<TestServer> StartAsync() => TestServer.StartAsync(options =>
    {
        foreach (ReplicatedValueFormat format in ExtraFormats)
        {
            options.ValueFormats.Add(format);
        }
    });

    private static CrdtSyncClient CreateClient(TestServer server, string replica) => server.CreateClient(replica, options =>
    {
        foreach (ReplicatedValueFormat format in ExtraFormats)
        {
            options.ValueFormats.Add(format);
        }
    });

    private static async Task<ValuesDocument> OpenAsync(CrdtSyncClient client)
    {
        ValuesDocument doc = await client.OpenValuesAsync("doc");
        client.Start();
        await client.WaitForOnlineAsync().Within();
        await doc.WaitForSyncedAsync().Within();
        return doc;
    }

    /// <summary>Opens "doc" on channel 1 from an empty digest and applies the server's answer to a fresh replicator.</summary>
    private static async Task<DeltaReplicator> OpenRawAsync(RawSyncSocket raw, string replica)
    {
        await raw.SendAsync(new OpenFrame(1, DocumentKind.Values, "doc", Serializer.SerializeToBytes(new DigestMessage(replica, VersionVector.Empty))));
        var state = new DeltaReplicator(replica);
        ReplicationMessage synced = Serializer.Deserialize((await raw.ReceiveAsync<SyncedFrame>()).Payload.Span);
        state.AddPeer(synced.Sender);
        state.Receive(synced);
        ReplicationMessage answer = Serializer.Deserialize((await raw.ReceiveAsync<UpdateFrame>()).Payload.Span);
        state.Receive(answer);
        return state;
    }

    private static async Task SendPushAsync(RawSyncSocket raw, DeltaReplicator state, long sequence)
    {
        OutgoingMessage push = Assert.Single(state.CreatePushMessages());
        Assert.IsType<DeltaGroupMessage>(push.Message);
        await raw.SendAsync(new UpdateFrame(1, sequence, Serializer.SerializeToBytes(push.Message)));
    }

    private static async Task ExpectAckAsync(RawSyncSocket raw)
    {
        while (true)
        {
            SyncFrame? frame = await raw.ReceiveAsync();
            Assert.NotNull(frame);
            Assert.False(frame is ErrorFrame, frame is ErrorFrame error ? $"error {error.Code}: {error.Message}" : null);
            if (frame is AckFrame)
            {
                return;
            }
        }
    }
}
