using System;
using System.Collections.Generic;
using System.IO;
using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;
using Sync.Crdt.TestSupport.Text;

namespace Sync.Crdt.Text.Tests;

public class ConcurrentTraceTests
{
    /// <summary>
    /// Replays concurrent/friendsforever: each agent edits its own replica. Before a transaction, the agent's replica
    /// receives exactly the transactions in the transaction's parents' history that it lacks (the recorded merge points),
    /// so each patch's positions are relative to the state at its parents. At the end every replica receives everything.
    /// </summary>
    [Fact]
    public void Replay_FriendsForeverConcurrentTrace_EveryReplicaEndsWithEndContent()
    {
        string path = SharedData.TraceFile("concurrent", "friendsforever.json.gz");

        EditingTrace trace = EditingTrace.Load(path);
        IReadOnlyList<TraceTransaction> txns = trace.Transactions;
        int agents = trace.Agents;
        var replicas = new TextDocument[agents];
        var applied = new int[agents][];
        var byAgent = new List<int>[agents];
        for (int a = 0; a < agents; a++)
        {
            replicas[a] = new TextDocument(new ReplicaId("agent-" + a));
            applied[a] = new int[agents];
            byAgent[a] = new List<int>();
        }

        // version[i][b]: how many of agent b's transactions the history of txn i (inclusive) holds.
        var version = new int[txns.Count][];
        var updates = new List<TextUpdate>[txns.Count];
        int merges = 0;
        for (int i = 0; i < txns.Count; i++)
        {
            TraceTransaction txn = txns[i];
            int agent = txn.Agent;
            var needed = new int[agents];
            foreach (int parent in txn.Parents)
            {
                for (int b = 0; b < agents; b++)
                {
                    needed[b] = Math.Max(needed[b], version[parent][b]);
                }
            }

            if (txn.Parents.Length > 1)
            {
                merges++;
            }

            TextDocument replica = replicas[agent];
            for (int b = 0; b < agents; b++)
            {
                Assert.True(applied[agent][b] <= needed[b], $"txn {i}: agent {agent} is ahead of its parents for agent {b}");
                for (int k = applied[agent][b]; k < needed[b]; k++)
                {
                    foreach (TextUpdate update in updates[byAgent[b][k]])
                    {
                        replica.ApplyUpdate(update);
                    }
                }

                applied[agent][b] = needed[b];
            }

            Assert.False(replica.HasPendingUpdates);
            var produced = new List<TextUpdate>();
            foreach (TracePatch patch in txn.Patches)
            {
                if (patch.Delete > 0)
                {
                    produced.Add(replica.Delete(patch.Position, patch.Delete));
                }

                if (patch.Insert.Length > 0)
                {
                    produced.Add(replica.Insert(patch.Position, patch.Insert));
                }
            }

            updates[i] = produced;
            byAgent[agent].Add(i);
            needed[agent]++;
            applied[agent][agent] = needed[agent];
            version[i] = needed;
        }

        Assert.True(merges > 1000, "the trace should contain its recorded merge points");
        for (int a = 0; a < agents; a++)
        {
            for (int b = 0; b < agents; b++)
            {
                for (int k = applied[a][b]; k < byAgent[b].Count; k++)
                {
                    foreach (TextUpdate update in updates[byAgent[b][k]])
                    {
                        replicas[a].ApplyUpdate(update);
                    }
                }
            }

            Assert.Equal(trace.EndContent, replicas[a].ToString());
        }

        var fresh = new TextDocument(new ReplicaId("late-joiner"));
        fresh.ApplyUpdate(replicas[0].EncodeStateAsUpdate());
        Assert.Equal(trace.EndContent, fresh.ToString());
    }
}
