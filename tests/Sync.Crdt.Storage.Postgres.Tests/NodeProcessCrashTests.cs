using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Postgres.Tests;

/// <summary>
/// A node is a real process (Sync.Crdt.Storage.Postgres.NodeHost) that acknowledges each record only after PostgreSQL's
/// COMMIT; it is killed with SIGKILL mid-load. Every record it acknowledged must be in the log at the acknowledged
/// position, another node takes the document over and continues, and a third node's follower sees exactly the log.
/// </summary>
public class NodeProcessCrashTests
{
    private readonly string _schema = PostgresTestDatabase.NewSchema();

    [Fact]
    public async Task NodeKilledWithSigkillMidLoad_EveryAcknowledgedRecordSurvives_AnotherNodeTakesOver()
    {
        await using TestNode follower = await TestNode.StartAsync(_schema, "follower");
        DocumentLogFollower watching = follower.Follow("doc");
        await follower.Store.WaitForListenerAsync();

        var acknowledged = new List<(long Position, string Payload)>();
        using (Process node = StartNode("crashing", "doc", 1_000_000))
        {
            string? line = await node.StandardOutput.ReadLineAsync();
            Assert.Equal("ready 0", line);
            while (acknowledged.Count < 40 && (line = await node.StandardOutput.ReadLineAsync()) is not null)
            {
                acknowledged.Add(ParseAck(line));
            }

            node.Kill(); // SIGKILL: no shutdown code runs in the node
            while ((line = await node.StandardOutput.ReadLineAsync()) is not null)
            {
                acknowledged.Add(ParseAck(line)); // acknowledgements already written before the kill
            }

            await node.WaitForExitAsync();
            Assert.NotEqual(0, node.ExitCode);
        }

        StoredDocument afterCrash = await follower.Store.LoadAsync("doc");
        Dictionary<long, string> stored = afterCrash.Records.ToDictionary(r => r.Position, r => System.Text.Encoding.UTF8.GetString(r.Payload.Span));
        Assert.All(acknowledged, ack => Assert.Equal(ack.Payload, stored[ack.Position]));
        Assert.True(afterCrash.Head >= acknowledged.Count, "no acknowledged record is missing");

        // The crashed node's clients reconnect to another node, which continues the same document.
        await using TestNode takeover = await TestNode.StartAsync(_schema, "takeover");
        List<string> continued = await takeover.WriteAsync("doc", 20, TimeSpan.Zero);

        StoredDocument final = await takeover.Store.LoadAsync("doc");
        Assert.Equal(afterCrash.Head + 20, final.Head);
        Assert.Equal(continued, final.Records.Skip((int)afterCrash.Head).Select(r => System.Text.Encoding.UTF8.GetString(r.Payload.Span)));
        Assert.Equal(final.Records.Length, final.Records.Select(r => System.Text.Encoding.UTF8.GetString(r.Payload.Span)).Distinct().Count());
        await Wait.UntilAsync(() => watching.Cursor == final.Head, "the third node's follower reaches the final head");
        Assert.Equal(final.Records.Select(r => r.Position), follower.Received("doc").Select(r => r.Position));
    }

    private Process StartNode(string nodeId, string document, int count)
    {
        string host = Path.Combine(AppContext.BaseDirectory, "Sync.Crdt.Storage.Postgres.NodeHost.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false };
        foreach (string argument in (string[])[host, "write", PostgresTestDatabase.RequiredConnectionString, _schema, nodeId, document, count.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    private static (long Position, string Payload) ParseAck(string line)
    {
        string[] parts = line.Split(' ', 3);
        Assert.Equal("ack", parts[0]);
        return (long.Parse(parts[1], CultureInfo.InvariantCulture), parts[2]);
    }
}
