using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Storage;
using Sync.Crdt.Sets;
using Sync.Crdt.Storage.Sqlite;

// Usage:
//   write <database> <first-tag-number> <full|normal>   writes tags through a DurableReplica with 8 concurrent writers,
//                                                      printing "ACK <tag> END" after each commit, until killed
//   tryopen <database>                                  tries to open the store: exit 3 and "LOCKED <message>" when in use
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: write <database> <first-tag-number> <full|normal> | tryopen <database>");
    return 2;
}

if (args[0] == "tryopen")
{
    try
    {
        await using SqliteDocumentStore store = SqliteDocumentStore.Open(args[1]);
        Console.WriteLine("OPENED");
        return 0;
    }
    catch (DocumentStoreException ex)
    {
        Console.WriteLine("LOCKED " + ex.Message);
        return 3;
    }
}

long first = long.Parse(args[2], CultureInfo.InvariantCulture);
var durability = args[3] == "normal" ? SqliteDurability.Normal : SqliteDurability.Full;
var serializer = new ReplicationSerializer([ReplicatedValueFormat.Create(CrdtCodecs.ORSet(CrdtCodecs.String))]);
var tags = new ReplicatedKey<ORSet<string>>("tags");
await using SqliteDocumentStore database = SqliteDocumentStore.Open(args[1], new SqliteDocumentStoreOptions { Durability = durability });
await using DurableReplica replica = await DurableReplica.OpenAsync(database, "crash", "writer", serializer, static (_, _) => { }, new DurableReplicaOptions { MinCompactionBytes = 4096 });
await replica.DefineAsync(tags, ORSet<string>.Empty);
var output = Console.Out;
var gate = new Lock();
lock (gate)
{
    output.WriteLine("READY");
    output.Flush();
}

long next = first;
await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
{
    while (true)
    {
        string tag = "t" + Interlocked.Increment(ref next).ToString(CultureInfo.InvariantCulture);
        await replica.UpdateAsync(tags, (set, me, out delta) => set.Add(me, tag, out delta));
        lock (gate)
        {
            output.WriteLine("ACK " + tag + " END");
            output.Flush();
        }
    }
})));
return 0;
