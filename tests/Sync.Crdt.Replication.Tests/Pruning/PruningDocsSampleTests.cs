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

namespace Sync.Crdt.Replication.Tests.Pruning;

/// <summary>
/// Keeps the sample of docs/pruning.md compiled and true (character for character between the snippet markers), over an
/// encoded transport: the pruning table survives the wire with its format registered.
/// </summary>
public class PruningDocsSampleTests
{
    [Fact]
    public void Snippet_IsTheCodeInTheDocument()
    {
        string root = SharedData.RepositoryRoot() ?? throw new DirectoryNotFoundException("repository root not found");
        string source = File.ReadAllText(Path.Combine(root, "tests", "Sync.Crdt.Replication.Tests", "Pruning", "PruningDocsSampleTests.cs")).Replace("\r\n", "\n", StringComparison.Ordinal);
        string document = File.ReadAllText(Path.Combine(root, "docs", "pruning.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        string[] lines = source.Split('\n');
        int begin = Array.FindIndex(lines, l => l.Trim() == "// begin-snippet: pruning-usage");
        int end = Array.FindIndex(lines, begin + 1, l => l.Trim() == "// end-snippet");
        Assert.True(begin >= 0 && end > begin, "snippet not found");
        int indent = lines[begin].Length - lines[begin].TrimStart().Length;
        string snippet = string.Join("\n", lines[(begin + 1)..end].Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
        Assert.True(document.Contains("```csharp\n" + snippet + "\n```", StringComparison.Ordinal), $"docs/pruning.md lacks the snippet as compiled:\n{snippet}");
    }

    [Fact]
    public void Sample_Runs_OverAnEncodedTransport()
    {
        var wire = new Queue<(ReplicaId To, ReadOnlyMemory<byte> Frame)>();
        var pumps = new Dictionary<ReplicaId, ReplicationPump>();
        void Deliver()
        {
            while (wire.TryDequeue(out var next))
            {
                if (pumps.TryGetValue(next.To, out ReplicationPump? pump))
                {
                    pump.Receive(next.Frame.Span);
                }
            }
        }

        void SyncRound()
        {
            foreach (ReplicationPump pump in pumps.Values)
            {
                pump.SyncRound();
            }

            Deliver();
        }

        // begin-snippet: pruning-usage
        var visits = new ReplicatedKey<PNCounter>("visits");
        var serializer = new ReplicationSerializer([
            ReplicatedValueFormat.Create(CrdtCodecs.PNCounter),
            ReplicatedValueFormat.Create(CrdtCodecs.ORSet(CrdtCodecs.String)), // the pruning table's type
        ]);
        foreach (ReplicaId id in new ReplicaId[] { "a", "b", "gone" })
        {
            pumps[id] = new ReplicationPump(new DeltaReplicator(id), serializer, (to, frame) => wire.Enqueue((to, frame)));
            pumps[id].Replicator.Define(visits, PNCounter.Empty);
        }

        foreach (ReplicationPump pump in pumps.Values)
        {
            foreach (ReplicaId peer in pumps.Keys.Where(p => p != pump.Replicator.Replica))
            {
                pump.Replicator.AddPeer(peer);
            }
        }

        pumps["gone"].Replicator.Update(visits, static (c, r, out d) => c.Increment(r, 5, out d));
        SyncRound();                               // "gone" syncs its last state, then leaves for good
        pumps.Remove("gone");
        pumps["a"].Replicator.RemovePeer("gone");  // on every live replica
        pumps["b"].Replicator.RemovePeer("gone");
        SyncRound();                               // every peer acknowledges gone's last state

        DeltaReplicator owner = pumps["a"].Replicator;
        owner.PruneRemovedReplica("gone");         // one owner; persist the returned entry if durable
        SyncRound();                               // the marker spreads; b cleans up
        owner.RetireAcknowledgedPruningMarkers();  // after every peer acknowledged the prune
        SyncRound();

        long total = pumps["b"].Replicator.Get(visits).Value;           // 5
        int entries = pumps["b"].Replicator.Get(visits).Increments.Count; // 1: folded into "a"
        // end-snippet

        Assert.Equal(5, total);
        Assert.Equal(1, entries);
        Assert.Equal(5, owner.Get(visits).Value);
        Assert.Equal(0, pumps["b"].Replicator.Vector["gone"]);
        Assert.Equal(owner.Vector, pumps["b"].Replicator.Vector);
        Assert.Equal(["gone"], pumps["b"].Replicator.PrunedReplicas); // refused and cleaned up until the retention passes
        Assert.Empty(pumps["b"].Replicator.Get(new ReplicatedKey<ORSet<string>>(DeltaReplicator.PruningKey)));
    }
}
