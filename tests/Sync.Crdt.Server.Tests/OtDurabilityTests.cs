using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Sync.Crdt.Client;
using Sync.Crdt.Replication.Storage;
using Sync.Ot;

namespace Sync.Crdt.Server.Tests;

/// <summary>OT documents with a client store, and clients that fall behind the server's OT history, over real sockets.</summary>
public sealed class OtDurabilityTests
{
    [Fact]
    public async Task PendingOps_NewClientOnSameStore_ResendsExactlyTheUnacknowledged()
    {
        await using TestServer server = await TestServer.StartAsync();
        var aliceStore = new InMemoryDocumentStore();
        await using (CrdtSyncClient first = server.CreateClient("alice", o => o.Store = aliceStore))
        {
            OtSyncDocument doc = await first.OpenOtAsync("memo");
            first.Start();
            doc.Apply(TextEdit.Insert(0, "acked."));
            await doc.WaitForAcknowledgedAsync().Within();
            first.SetOffline(true);
            await Eventually.HoldsAsync(() => first.State == ConnectionState.Offline, () => first.State.ToString());
            doc.Apply(TextEdit.Insert(6, " one"));
            doc.Apply(TextEdit.Insert(10, " two"));
            Assert.True(doc.HasPendingChanges);
            await Eventually.HoldsAsync(() => aliceStore.LoadAsync("memo").AsTask().Result.Records.Length >= 4, () => "local commits");
        }

        await using CrdtSyncClient bob = server.CreateClient("bob");
        OtSyncDocument bobDoc = await bob.OpenOtAsync("memo");
        bob.Start();
        await bobDoc.WaitForSyncedAsync().Within();
        bobDoc.Apply(TextEdit.Insert(0, "bob:"));
        await bobDoc.WaitForAcknowledgedAsync().Within();

        await using CrdtSyncClient second = server.CreateClient("alice", o => o.Store = aliceStore);
        OtSyncDocument again = await second.OpenOtAsync("memo");
        Assert.Equal("acked. one two", again.Text);
        Assert.True(again.HasPendingChanges);
        second.Start();
        await again.WaitForAcknowledgedAsync().Within();
        await Eventually.HoldsAsync(() => again.Text == bobDoc.Text, () => $"{again.Text} | {bobDoc.Text}");
        Assert.Equal("bob:acked. one two", bobDoc.Text);

        // acked. (1) + bob (1) + the in-flight and the buffered operation (2): nothing applied twice, nothing lost.
        Assert.Equal(4, (await server.Store.LoadAsync("memo")).Head);
    }

    [Fact]
    public async Task FarBehindInMemoryWindow_ServedFromStoredLog_PendingOpsRebased()
    {
        await using TestServer server = await TestServer.StartAsync(o =>
        {
            o.OtHistoryLimit = 4;
            o.SnapshotEveryRecords = 1000;
        });
        (OtSyncDocument alice, OtSyncDocument bob, List<OtOperationsLostEventArgs> lost, CrdtSyncClient aliceClient, CrdtSyncClient bobClient) = await FallBehindAsync(server, bobOps: 12);
        await using (aliceClient)
        await using (bobClient)
        {
            await alice.WaitForAcknowledgedAsync().Within();
            await Eventually.HoldsAsync(() => alice.Text == bob.Text, () => $"{alice.Text} | {bob.Text}");
            Assert.Empty(lost);
            Assert.Equal(new string('b', 12) + "start[offline]", alice.Text);
        }
    }

    [Fact]
    public async Task CompactedHistory_PendingOpsSurfacedThroughOperationsLost()
    {
        await using TestServer server = await TestServer.StartAsync(o =>
        {
            o.OtHistoryLimit = 4;
            o.SnapshotEveryRecords = 5;
        });
        (OtSyncDocument alice, OtSyncDocument bob, List<OtOperationsLostEventArgs> lost, CrdtSyncClient aliceClient, CrdtSyncClient bobClient) = await FallBehindAsync(server, bobOps: 12);
        await using (aliceClient)
        await using (bobClient)
        {
            await Eventually.HoldsAsync(() => lost.Count == 1, () => $"{lost.Count} loss reports");
            await alice.WaitForAcknowledgedAsync().Within();
            await Eventually.HoldsAsync(() => alice.Text == bob.Text, () => $"{alice.Text} | {bob.Text}");
            OtOperationsLostEventArgs report = lost[0];
            Assert.Equal(1, report.BaseRevision);
            Assert.Equal("start[offline]", report.LocalText);
            Assert.Equal("start[offline]", Apply(report.Operations, "start"));
            Assert.Equal(13, report.ServerRevision);
            Assert.DoesNotContain("[offline]", alice.Text, StringComparison.Ordinal);
        }
    }

    /// <summary>alice writes "start" (revision 1), goes offline and types "[offline]"; bob then commits
    /// <paramref name="bobOps"/> operations; alice comes back online.</summary>
    private static async Task<(OtSyncDocument Alice, OtSyncDocument Bob, List<OtOperationsLostEventArgs> Lost, CrdtSyncClient AliceClient, CrdtSyncClient BobClient)> FallBehindAsync(TestServer server, int bobOps)
    {
        CrdtSyncClient aliceClient = server.CreateClient("alice");
        CrdtSyncClient bobClient = server.CreateClient("bob");
        OtSyncDocument alice = await aliceClient.OpenOtAsync("memo");
        OtSyncDocument bob = await bobClient.OpenOtAsync("memo");
        var lost = new List<OtOperationsLostEventArgs>();
        alice.OperationsLost += (_, e) =>
        {
            lock (lost)
            {
                lost.Add(e);
            }
        };
        aliceClient.Start();
        bobClient.Start();
        alice.Apply(TextEdit.Insert(0, "start"));
        await alice.WaitForAcknowledgedAsync().Within();
        await Eventually.HoldsAsync(() => bob.Text == "start", () => bob.Text);

        aliceClient.SetOffline(true);
        await Eventually.HoldsAsync(() => aliceClient.State == ConnectionState.Offline, () => aliceClient.State.ToString());
        alice.Apply(TextEdit.Insert(5, "[offline]"));
        for (int i = 0; i < bobOps; i++)
        {
            bob.Apply(TextEdit.Insert(0, "b"));
            await bob.WaitForAcknowledgedAsync().Within();
        }

        Assert.Equal(1, alice.Revision);
        aliceClient.SetOffline(false);
        return (alice, bob, lost, aliceClient, bobClient);
    }

    private static string Apply(IReadOnlyList<TextOperation> operations, string text)
    {
        foreach (TextOperation operation in operations)
        {
            text = operation.Apply(text);
        }

        return text;
    }
}
