using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Sets;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Replication.Tests;

/// <summary>
/// Keeps the samples in docs/replication.md compiled and true: the code between each pair of snippet markers below
/// appears in the document character for character, and running it must give what the document's comments say.
/// </summary>
public class DocsSampleTests
{
    private const string Document = "docs/replication.md";

    [Theory]
    [InlineData("replication-usage")]
    [InlineData("replication-store")]
    public void Snippet_IsTheCodeInTheDocument(string name)
    {
        string root = SharedData.RepositoryRoot() ?? throw new DirectoryNotFoundException("repository root not found");
        string source = File.ReadAllText(Path.Combine(root, "tests", "Sync.Crdt.Replication.Tests", "DocsSampleTests.cs")).Replace("\r\n", "\n", StringComparison.Ordinal);
        string document = File.ReadAllText(Path.Combine(root, Document)).Replace("\r\n", "\n", StringComparison.Ordinal);
        string[] lines = source.Split('\n');
        int begin = Array.FindIndex(lines, l => l.Trim() == "// begin-snippet: " + name);
        int end = Array.FindIndex(lines, begin + 1, l => l.Trim() == "// end-snippet");
        Assert.True(begin >= 0 && end > begin, $"snippet '{name}' not found");
        int indent = lines[begin].Length - lines[begin].TrimStart().Length;
        string snippet = string.Join("\n", lines[(begin + 1)..end].Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));

        Assert.True(document.Contains("```csharp\n" + snippet + "\n```", StringComparison.Ordinal), $"{Document} lacks snippet '{name}' as compiled in DocsSampleTests.cs:\n{snippet}");
    }

    [Fact]
    public void UsageSample_Runs_AndBothReplicasSeeBothChanges()
    {
        // begin-snippet: replication-usage
        // Keys carry their value type: a mismatch does not compile, and lambdas infer their types.
        var pageViews = new ReplicatedKey<GCounter>("page-views");
        var cart = new ReplicatedKey<ORSet<string>>("cart");

        // Every replica registers the same value formats.
        var serializer = new ReplicationSerializer([
            ReplicatedValueFormat.Create(CrdtCodecs.GCounter),
            ReplicatedValueFormat.Create(CrdtCodecs.ORSet(CrdtCodecs.String)),
        ]);

        // The transport: frames waiting for delivery (in an application, a socket per peer).
        var wire = new Queue<(ReplicaId To, ReadOnlyMemory<byte> Frame)>();
        var alice = new ReplicationPump(new DeltaReplicator("alice"), serializer, (to, frame) => wire.Enqueue((to, frame)));
        var bob = new ReplicationPump(new DeltaReplicator("bob"), serializer, (to, frame) => wire.Enqueue((to, frame)));
        alice.Replicator.AddPeer("bob");
        bob.Replicator.AddPeer("alice");

        alice.Replicator.Define(pageViews, GCounter.Empty);
        alice.Replicator.Update(pageViews, static (views, replica, out delta) => views.Increment(replica, 3, out delta));
        bob.Replicator.Define(cart, ORSet<string>.Empty);
        bob.Replicator.Update(cart, static (set, replica, out delta) => set.Add(replica, "milk", out delta));

        // A sync round at each replica (call it on a timer); the transport hands every frame to its recipient's pump.
        alice.SyncRound();
        bob.SyncRound();
        while (wire.TryDequeue(out var next))
        {
            (next.To == alice.Replicator.Replica ? alice : bob).Receive(next.Frame.Span);
        }

        long views = bob.Replicator.Get(pageViews).Value;          // 3
        bool milk = alice.Replicator.Get(cart).Contains("milk");   // true
        // end-snippet

        Assert.Equal(3, views);
        Assert.True(milk);
        Assert.Equal(alice.Replicator.Vector, bob.Replicator.Vector);
    }

    [Fact]
    public void StoreSample_Runs_CommitsBeforeAcknowledging_AndRestoresFromTheLog()
    {
        var cart = new ReplicatedKey<ORSet<string>>("cart");
        var serializer = new ReplicationSerializer([ReplicatedValueFormat.Create(CrdtCodecs.ORSet(CrdtCodecs.String))]);
        var sent = new List<(ReplicaId To, ReadOnlyMemory<byte> Frame)>();
        FrameSender transport = (to, frame) => sent.Add((to, frame));
        var laptop = new DeltaReplicator("laptop");
        laptop.Define(cart, ORSet<string>.Empty);
        laptop.Update(cart, static (set, replica, out delta) => set.Add(replica, "milk", out delta));
        laptop.AddPeer("phone");
        ReadOnlyMemory<byte> frame = serializer.SerializeToBytes(laptop.Receive(new DigestMessage("phone", VersionVector.Empty)).Replies[0].Message);

        // begin-snippet: replication-store
        var log = new List<byte[]>();                     // the store's log (here in memory)
        var replicator = new DeltaReplicator("phone");
        var pump = new ReplicationPump(replicator, serializer, transport, new ReplicationPumpOptions { HoldUntilDurable = true });

        void Commit(DeltaLogEntry? entry)
        {
            if (entry is not null)
            {
                log.Add(serializer.SerializeToBytes(entry)); // append and commit, in one store transaction
                pump.MarkDurable(entry.To);                  // frames that waited for it leave now
            }
        }

        // A local update: commit its entry, then report success to the application.
        replicator.Define(cart, ORSet<string>.Empty, out DeltaLogEntry? defined);
        Commit(defined);
        replicator.Update(cart, static (set, replica, out delta) => set.Add(replica, "eggs", out delta), out DeltaLogEntry? added);
        Commit(added);

        // A frame from a peer: the acknowledgement waits in the pump until what the frame added is committed.
        ReceiveResult result = pump.Receive(frame.Span);
        int waiting = pump.HeldFrameCount;               // 1: the acknowledgement
        Commit(result.Entry);

        // After a restart: the last snapshot (none yet: empty) plus the log, under a fresh id.
        var empty = new ReplicatorSnapshot("phone", VersionVector.Empty, []);
        var restarted = DeltaReplicator.Restore(empty, log.Select(bytes => serializer.DeserializeLogEntry(bytes)), "phone-2");
        // end-snippet

        Assert.Equal(1, waiting);
        Assert.Equal(0, pump.HeldFrameCount);
        Assert.Equal(3, log.Count);
        var acknowledgement = Assert.IsType<DigestMessage>(serializer.Deserialize(Assert.Single(sent).Frame.Span));
        Assert.Equal(replicator.Vector, acknowledgement.Vector);
        Assert.Equal(["eggs", "milk"], restarted.Get(cart).Order(StringComparer.Ordinal));
        Assert.Equal(replicator.Vector, restarted.Vector);
        Assert.Equal(3, restarted.BufferedDeltaCount);
    }
}
