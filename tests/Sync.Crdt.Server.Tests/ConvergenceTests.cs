using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Sync.Crdt.Client;
using Sync.Crdt.Counters;
using Sync.Crdt.Replication;
using Sync.Crdt.Sets;
using Sync.Ot;

namespace Sync.Crdt.Server.Tests;

public sealed class ConvergenceTests
{
    private static readonly ReplicatedKey<GCounter> Views = new("views");
    private static readonly ReplicatedKey<ORSet<string>> Cart = new("cart");

    [Fact]
    public async Task Values_ThreeClientsOverKestrel_ConvergeAndEveryChangeIsAcknowledged()
    {
        await using TestServer server = await TestServer.StartAsync();
        var clients = new List<CrdtSyncClient>();
        var documents = new List<ValuesDocument>();
        foreach (string name in new[] { "alice", "bob", "carol" })
        {
            CrdtSyncClient client = server.CreateClient(name);
            clients.Add(client);
            documents.Add(await client.OpenValuesAsync("shop"));
            client.Start();
        }

        try
        {
            await Task.WhenAll(clients.Select(c => c.WaitForOnlineAsync())).Within();
            for (int round = 0; round < 5; round++)
            {
                foreach ((ValuesDocument document, int i) in documents.Select((d, i) => (d, i)))
                {
                    await document.DefineAsync(Views, GCounter.Empty);
                    await document.DefineAsync(Cart, ORSet<string>.Empty);
                    await document.UpdateAsync(Views, static (c, r, out d) => c.Increment(r, 1, out d));
                    string item = $"item-{i}-{round}";
                    await document.UpdateAsync(Cart, (s, r, out d) => s.Add(r, item, out d));
                }
            }

            await Task.WhenAll(documents.Select(d => d.WaitForAcknowledgedAsync())).Within();
            await Eventually.HoldsAsync(
                () => documents.All(d => d.TryGet(Views, out GCounter? v) && v.Value == 15 && d.TryGet(Cart, out ORSet<string>? c) && c.Count == 15),
                () => string.Join("; ", documents.Select(d => d.TryGet(Views, out GCounter? v) ? v.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "-")));
            Assert.True((await server.Store.LoadAsync("shop")).Head > 0);
        }
        finally
        {
            foreach (CrdtSyncClient client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Text_ThreeClientsTypeConcurrently_ConvergeToOneText()
    {
        await using TestServer server = await TestServer.StartAsync();
        var clients = new List<CrdtSyncClient>();
        var documents = new List<TextSyncDocument>();
        foreach (string name in new[] { "alice", "bob", "carol" })
        {
            CrdtSyncClient client = server.CreateClient(name);
            clients.Add(client);
            documents.Add(await client.OpenTextAsync("notes"));
            client.Start();
        }

        try
        {
            await Task.WhenAll(clients.Select(c => c.WaitForOnlineAsync())).Within();
            var random = new Random(3);
            for (int step = 0; step < 60; step++)
            {
                TextSyncDocument document = documents[random.Next(documents.Count)];
                int length = document.Length;
                if (length > 4 && random.Next(4) == 0)
                {
                    document.Delete(random.Next(length - 2), 2);
                }
                else
                {
                    document.Insert(random.Next(length + 1), ((char)('a' + step % 26)).ToString());
                }
            }

            await Task.WhenAll(documents.Select(d => d.WaitForAcknowledgedAsync())).Within();
            await Eventually.HoldsAsync(() => documents.Select(d => d.Text).Distinct().Count() == 1, () => string.Join(" | ", documents.Select(d => d.Text)));
            Assert.True(documents[0].Length > 10);
        }
        finally
        {
            foreach (CrdtSyncClient client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Ot_ThreeClientsEditConcurrently_ConvergeThroughTheServer()
    {
        await using TestServer server = await TestServer.StartAsync();
        var clients = new List<CrdtSyncClient>();
        var documents = new List<OtSyncDocument>();
        foreach (string name in new[] { "alice", "bob", "carol" })
        {
            CrdtSyncClient client = server.CreateClient(name);
            clients.Add(client);
            documents.Add(await client.OpenOtAsync("memo"));
            client.Start();
        }

        try
        {
            await Task.WhenAll(clients.Select(c => c.WaitForOnlineAsync())).Within();
            var random = new Random(5);
            for (int step = 0; step < 45; step++)
            {
                OtSyncDocument document = documents[step % documents.Count];
                int length = document.CodePointLength;
                document.Apply(TextOperation.Insert(length, random.Next(length + 1), ((char)('A' + step % 26)).ToString()));
                if (step % 7 == 6 && document.CodePointLength > 3)
                {
                    document.Apply(TextOperation.Delete(document.CodePointLength, 1, 1));
                }
            }

            await Task.WhenAll(documents.Select(d => d.WaitForAcknowledgedAsync())).Within();
            await Eventually.HoldsAsync(() => documents.Select(d => d.Text).Distinct().Count() == 1, () => string.Join(" | ", documents.Select(d => d.Text)));
            // 45 inserts and 6 deletes at index 1; concurrent deletes of the same character count once.
            Assert.InRange(documents[0].CodePointLength, 45 - 6, 45 - 1);
        }
        finally
        {
            foreach (CrdtSyncClient client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
