using System;
using System.Linq;
using System.Threading.Tasks;
using Sync.Crdt.Causality;
using Sync.Crdt.Client;
using Sync.Crdt.Protocol;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Text;

namespace Sync.Crdt.Server.Tests;

public sealed class HostileClientTests
{
    [Fact]
    public async Task Garbage_FirstFrame_ErrorAndDisconnect()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawSyncSocket raw = await RawSyncSocket.ConnectAsync(server.SyncUri);
        await raw.SendRawAsync([0xDE, 0xAD, 0xBE, 0xEF]);
        await raw.ExpectErrorAsync(SyncErrorCode.UnknownFrameType);
    }

    [Fact]
    public async Task Truncated_Frame_ErrorAndDisconnect()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawSyncSocket raw = await RawSyncSocket.ConnectAsync(server.SyncUri, "mallory");
        byte[] open = FrameCodec.Encode(new OpenFrame(1, DocumentKind.Text, "doc", new byte[] { 1, 0 }));
        await raw.SendRawAsync(open[..^2]);
        await raw.ExpectErrorAsync(SyncErrorCode.MalformedFrame);
    }

    [Fact]
    public async Task Hello_UnknownVersion_UnsupportedVersion()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawSyncSocket raw = await RawSyncSocket.ConnectAsync(server.SyncUri);
        await raw.SendAsync(new HelloFrame(99, SyncCapabilities.All, new ReplicaId("future")));
        await raw.ExpectErrorAsync(SyncErrorCode.UnsupportedVersion);
    }

    [Fact]
    public async Task Oversized_Frame_RejectedWhileReading()
    {
        await using TestServer server = await TestServer.StartAsync(o => o.MaxFrameBytes = 4096);
        await using RawSyncSocket raw = await RawSyncSocket.ConnectAsync(server.SyncUri, "mallory");
        await raw.SendAsync(new UpdateFrame(1, 1, new byte[10_000]));
        await raw.ExpectErrorAsync(SyncErrorCode.FrameTooLarge);
    }

    [Fact]
    public async Task UnknownKind_ChannelErrorConnectionStays()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawSyncSocket raw = await RawSyncSocket.ConnectAsync(server.SyncUri, "mallory");
        await raw.SendAsync(new OpenFrame(1, (DocumentKind)9, "doc", Array.Empty<byte>()));
        await raw.ExpectErrorAsync(SyncErrorCode.UnknownKind);
        await raw.SendAsync(new PingFrame(5));
        Assert.Equal(5, (await raw.ReceiveAsync<PongFrame>()).Nonce);
    }

    [Fact]
    public async Task ReplicaInUse_SecondConnectionRejected()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawSyncSocket first = await RawSyncSocket.ConnectAsync(server.SyncUri, "alice");
        await using RawSyncSocket thief = await RawSyncSocket.ConnectAsync(server.SyncUri);
        await thief.SendAsync(new HelloFrame(SyncProtocol.Version, SyncCapabilities.All, new ReplicaId("alice")));
        await thief.ExpectErrorAsync(SyncErrorCode.ReplicaRejected);
    }

    [Fact]
    public async Task ForgedTextItems_ErrorDisconnectNothingStoredOrForwarded()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using CrdtSyncClient honest = server.CreateClient("alice");
        TextSyncDocument aliceDoc = await honest.OpenTextAsync("doc");
        honest.Start();
        await honest.WaitForOnlineAsync().Within();
        aliceDoc.Insert(0, "hello");
        await aliceDoc.WaitForAcknowledgedAsync().Within();
        long head = (await server.Store.LoadAsync("doc")).Head;

        // Mallory connects as herself but sends text typed by "bob".
        await using RawSyncSocket raw = await RawSyncSocket.ConnectAsync(server.SyncUri, "mallory");
        await raw.SendAsync(new OpenFrame(1, DocumentKind.Text, "doc", TextStateVector.Encode(VersionVector.Empty)));
        await raw.ReceiveAsync<SyncedFrame>();
        var bob = new TextDocument(new ReplicaId("bob"));
        TextUpdate forged = bob.Insert(0, "forged");
        await raw.SendAsync(new UpdateFrame(1, 1, forged.ToArray()));
        await raw.ExpectErrorAsync(SyncErrorCode.ForgedDots);

        Assert.Equal(head, (await server.Store.LoadAsync("doc")).Head);
        aliceDoc.Insert(5, "!");
        await aliceDoc.WaitForAcknowledgedAsync().Within();
        Assert.Equal("hello!", aliceDoc.Text);
        StoredDocument stored = await server.Store.LoadAsync("doc");
        var replay = new TextDocument(new ReplicaId("check"));
        foreach (LogRecord record in stored.Records)
        {
            replay.ApplyUpdate(record.Payload.Span);
        }

        Assert.Equal("hello!", replay.ToString());
    }

    [Fact]
    public async Task ForgedValuesDots_ErrorDisconnectNothingStored()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawSyncSocket raw = await RawSyncSocket.ConnectAsync(server.SyncUri, "mallory");
        var serializer = new Replication.Encoding.ReplicationSerializer(TestServer.Formats);
        await raw.SendAsync(new OpenFrame(1, DocumentKind.Values, "shop", serializer.SerializeToBytes(new Replication.DigestMessage("mallory", VersionVector.Empty))));
        await raw.ReceiveAsync<SyncedFrame>();

        // A group claiming bob's events, sent by mallory's connection.
        var bobReplicator = new Replication.DeltaReplicator("bob");
        var key = new Replication.ReplicatedKey<Counters.GCounter>("views");
        bobReplicator.Define(key, Counters.GCounter.Empty);
        bobReplicator.Update(key, static (c, r, out d) => c.Increment(r, 5, out d));
        var group = new Replication.DeltaGroupMessage("mallory", VersionVector.Empty, bobReplicator.Vector, bobReplicator.CreateSnapshot().Values);
        await raw.SendAsync(new UpdateFrame(1, 1, serializer.SerializeToBytes(group)));
        await raw.ExpectErrorAsync(SyncErrorCode.ForgedDots);
        Assert.Equal(0, (await server.Store.LoadAsync("shop")).Head);
    }

    [Fact]
    public async Task MessageFromAnotherSender_ErrorDisconnect()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using RawSyncSocket raw = await RawSyncSocket.ConnectAsync(server.SyncUri, "mallory");
        var serializer = new Replication.Encoding.ReplicationSerializer(TestServer.Formats);
        await raw.SendAsync(new OpenFrame(1, DocumentKind.Values, "shop", serializer.SerializeToBytes(new Replication.DigestMessage("alice", VersionVector.Empty))));
        await raw.ExpectErrorAsync(SyncErrorCode.ForgedDots);
    }

    [Fact]
    public async Task TooManyDocuments_ChannelError()
    {
        await using TestServer server = await TestServer.StartAsync(o => o.MaxDocumentsPerConnection = 2);
        await using RawSyncSocket raw = await RawSyncSocket.ConnectAsync(server.SyncUri, "mallory");
        for (int i = 1; i <= 2; i++)
        {
            await raw.SendAsync(new OpenFrame(i, DocumentKind.Ot, "doc" + i, PayloadCodec.EncodeOtHandshake(null)));
            await raw.ReceiveAsync<SyncedFrame>();
        }

        await raw.SendAsync(new OpenFrame(3, DocumentKind.Ot, "doc3", PayloadCodec.EncodeOtHandshake(null)));
        await raw.ExpectErrorAsync(SyncErrorCode.TooManyDocuments);
    }

    [Fact]
    public async Task GarbagePayload_ChannelErrorOthersUnaffected()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using CrdtSyncClient honest = server.CreateClient("alice");
        OtSyncDocument doc = await honest.OpenOtAsync("memo");
        honest.Start();
        await honest.WaitForOnlineAsync().Within();

        await using RawSyncSocket raw = await RawSyncSocket.ConnectAsync(server.SyncUri, "mallory");
        await raw.SendAsync(new OpenFrame(1, DocumentKind.Ot, "memo", PayloadCodec.EncodeOtHandshake(0)));
        await raw.ReceiveAsync<SyncedFrame>();
        await raw.SendAsync(new UpdateFrame(1, 1, new byte[] { 0, 1, 9, 9 }));
        await raw.ExpectErrorAsync(SyncErrorCode.InvalidPayload);

        doc.Apply(Ot.TextOperation.Insert(0, 0, "still fine"));
        await doc.WaitForAcknowledgedAsync().Within();
        Assert.Equal("still fine", doc.Text);
    }
}
