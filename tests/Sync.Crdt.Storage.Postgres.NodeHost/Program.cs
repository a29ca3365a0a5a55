using System;
using System.Globalization;
using System.Text;
using System.Threading.Tasks;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Storage.Postgres;

// Usage: serve <connection string> <schema> <node id> [keepalive ms] [snapshot every records]: a sync server node (NodeServer.cs).
if (args.Length > 0 && args[0] == "serve")
{
    return await Sync.Crdt.Storage.Postgres.NodeHost.NodeServer.RunAsync(args);
}

// Usage: write <connection string> <schema> <node id> <document> <count>
// Appends "<node id>:<i>" to <document>, one commit at a time with the expected head, and prints
// "ack <position> <payload>" after each commit returned (the acknowledgement a server would send a client).
if (args.Length != 6 || args[0] != "write")
{
    Console.Error.WriteLine("usage: write <connection string> <schema> <node id> <document> <count> | serve ...");
    return 2;
}

string nodeId = args[3];
string document = args[4];
int count = int.Parse(args[5], CultureInfo.InvariantCulture);
await using PostgresDocumentStore store = await PostgresDocumentStore.OpenAsync(new PostgresDocumentStoreOptions { ConnectionString = args[1], Schema = args[2], NodeId = nodeId });
long head = (await store.LoadAsync(document)).Head;
Console.Out.WriteLine($"ready {head}");
Console.Out.Flush();
for (int i = 0; i < count;)
{
    string payload = string.Create(CultureInfo.InvariantCulture, $"{nodeId}:{i}");
    try
    {
        CommitResult result = await store.CommitAsync(new DocumentCommit(document) { Appends = [Encoding.UTF8.GetBytes(payload)], ExpectedHead = head });
        head = result.Head;
    }
    catch (DocumentConflictException)
    {
        // Only an uncertain earlier attempt of ours can have moved the head: adopt it if it is there.
        LogSlice slice = await store.ReadLogAsync(document, head, 1);
        if (slice.Records.Length != 1 || Encoding.UTF8.GetString(slice.Records[0].Payload.Span) != payload)
        {
            Console.Error.WriteLine($"another writer appended to {document} at {head + 1}");
            return 3;
        }

        head = slice.Records[0].Position;
    }
    catch (DocumentStoreException)
    {
        await Task.Delay(50);
        continue;
    }

    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ack {head} {payload}"));
    Console.Out.Flush();
    i++;
}

return 0;
