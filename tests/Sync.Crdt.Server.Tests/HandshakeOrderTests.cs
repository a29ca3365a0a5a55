using System.Threading.Tasks;
using Sync.Crdt.Client;
using Sync.Crdt.Counters;
using Sync.Crdt.Replication;

namespace Sync.Crdt.Server.Tests;

/// <summary>What "synced" promises when the server's frames arrive with delays between them.</summary>
public sealed class HandshakeOrderTests
{
    private static readonly ReplicatedKey<GCounter> Views = new("views");
    private static readonly ReplicatedKey<GCounter> Likes = new("likes");

    [Fact]
    public async Task Values_AnswerToTheHandshakeHeldBack_ReaderIsNotSyncedUntilItHoldsEveryAcknowledgedChange()
    {
        await using TestServer server = await TestServer.StartAsync();
        await using CrdtSyncClient writer = server.CreateClient("writer");
        ValuesDocument written = await writer.OpenValuesAsync("stats");
        writer.Start();
        await writer.WaitForOnlineAsync().Within();
        await written.DefineAsync(Views, GCounter.Empty);
        await written.UpdateAsync(Views, static (c, r, out d) => c.Increment(r, 5, out d));
        await written.WaitForAcknowledgedAsync().Within();

        // The reader connects through a relay that delivers the synced frame and holds the server's answer after it.
        await using HoldingRelay relay = await HoldingRelay.StartAsync(server.SyncUri);
        await using CrdtSyncClient reader = server.CreateClient("reader", o => o.ServerUri = relay.SyncUri);
        ValuesDocument read = await reader.OpenValuesAsync("stats");
        var sawSynced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        read.Changed += (_, _) => sawSynced.TrySetResult();
        reader.Start();
        await relay.Holding.Within();
        await sawSynced.Task.Within();

        // The synced frame was handled, the answer was not: the reader lacks the acknowledged change, so it must not
        // claim to be synced (or online).
        Assert.False(read.TryGet(Views, out _));
        Assert.False(read.IsSynced);
        Assert.NotEqual(ConnectionState.Online, reader.State);

        // An edit made while the answer is on its way reaches the server once the reader is synced.
        await read.DefineAsync(Likes, GCounter.Empty);
        await read.UpdateAsync(Likes, static (c, r, out d) => c.Increment(r, 1, out d));

        relay.Release();
        await reader.WaitForOnlineAsync().Within();
        Assert.True(read.IsSynced);
        Assert.Equal(5, read.Get(Views).Value);
        await read.WaitForAcknowledgedAsync().Within();
        await Eventually.HoldsAsync(() => written.TryGet(Likes, out GCounter? likes) && likes.Value == 1, () => "the writer did not receive the reader's like");
    }
}
