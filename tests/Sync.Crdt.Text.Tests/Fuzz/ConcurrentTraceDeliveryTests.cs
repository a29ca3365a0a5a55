using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.TestSupport;
using Sync.Crdt.TestSupport.Text;

namespace Sync.Crdt.Text.Tests.Fuzz;

/// <summary>
/// Replays the concurrent trace (testdata/traces/concurrent/friendsforever): each agent edits its own replica, and before a
/// transaction the agent's replica receives exactly the transactions of its parents' history that it lacks (the recorded
/// merge points), so each patch's positions are relative to the state at its parents. Seed 0 delivers them in their
/// natural order; other seeds deliver them shuffled, some twice, while observer replicas receive the same edits through
/// random delivery paths: bounded reordering, the whole trace in one random order (the pending queue), duplicates, whole states and diffs against
/// stale and current state vectors from any agent at any time, and restarts from the encoded state.
/// </summary>
public class ConcurrentTraceDeliveryTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Replay_FriendsForever_RandomDeliveryPaths_EveryReplicaEndsWithEndContent(int seed)
    {
        EditingTrace trace = EditingTrace.Load(SharedData.TraceFile("concurrent", "friendsforever.json.gz"));
        var random = new Random((int)PropertyCheck.SeedFor(nameof(Replay_FriendsForever_RandomDeliveryPaths_EveryReplicaEndsWithEndContent)) ^ seed);
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

        Observer[] observers =
        [
            new(new ReplicaId("window"), window: 64),
            new(new ReplicaId("scatter"), window: 4096),
            new(new ReplicaId("syncing"), window: 8),
            new(new ReplicaId("shuffled"), window: int.MaxValue),
        ];

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

            // The agent receives exactly the transactions of its parents' history that it lacks, shuffled, some twice.
            TextDocument replica = replicas[agent];
            var catchUp = new List<TextUpdate>();
            for (int b = 0; b < agents; b++)
            {
                for (int k = applied[agent][b]; k < needed[b]; k++)
                {
                    catchUp.AddRange(updates[byAgent[b][k]]);
                }

                applied[agent][b] = needed[b];
            }

            if (txn.Parents.Length > 1)
            {
                merges++;
            }

            if (seed != 0)
            {
                random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(catchUp));
            }

            foreach (TextUpdate update in catchUp)
            {
                replica.ApplyUpdate(update);
                if (seed != 0 && random.Next(10) == 0)
                {
                    replica.ApplyUpdate(update);
                }
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
            if (seed != 0)
            {
                foreach (Observer observer in observers)
                {
                    observer.Step(produced, replicas, random);
                }
            }
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

        var lateJoiner = new TextDocument(new ReplicaId("late-joiner"));
        lateJoiner.ApplyUpdate(replicas[0].EncodeStateAsUpdate());
        Assert.Equal(trace.EndContent, lateJoiner.ToString());
        if (seed == 0)
        {
            return;
        }

        var agentIds = new List<(ReplicaId, int, bool)>();
        replicas[0].CollectIds(agentIds);
        foreach (Observer observer in observers)
        {
            observer.Finish(replicas, random);
            Assert.False(observer.Document.HasPendingUpdates, observer.Document.Replica.ToString());
            Assert.Equal(trace.EndContent, observer.Document.ToString());
            Assert.Equal(replicas[0].StateVector, observer.Document.StateVector);
            var ids = new List<(ReplicaId, int, bool)>();
            observer.Document.CollectIds(ids);
            Assert.Equal(agentIds, ids);
            Assert.True(observer.PendingSeen > 0, $"{observer.Document.Replica} never used its pending queue");
        }

        Assert.True(observers[2].Syncs > 100, "the syncing observer should have caught up through diffs and whole states");
    }

    /// <summary>A replica that receives the trace's edits through random delivery paths.</summary>
    private sealed class Observer
    {
        private readonly List<TextUpdate> _inFlight = new();
        private readonly List<VersionVector> _pastVectors = new();
        private readonly int _window;

        public Observer(ReplicaId id, int window)
        {
            Document = new TextDocument(id);
            _window = window;
        }

        public TextDocument Document { get; private set; }

        public int PendingSeen { get; private set; }

        public int Syncs { get; private set; }

        public void Step(List<TextUpdate> produced, TextDocument[] agents, Random random)
        {
            _inFlight.AddRange(produced);
            while (_inFlight.Count > _window)
            {
                // Deliver a random update in flight: reordering bounded by the window; one in ten stays for a re-delivery.
                int i = random.Next(_inFlight.Count);
                Apply(_inFlight[i]);
                if (random.Next(10) != 0)
                {
                    _inFlight[i] = _inFlight[^1];
                    _inFlight.RemoveAt(_inFlight.Count - 1);
                }
            }

            if (_window == int.MaxValue)
            {
                return; // everything arrives at the end, in one random order
            }

            int action = random.Next(_window <= 8 ? 40 : 2000);
            if (action < 3)
            {
                TextDocument sender = agents[random.Next(agents.Length)];
                VersionVector? peer = action switch
                {
                    0 => null,
                    1 => Document.StateVector,
                    _ => _pastVectors.Count == 0 ? VersionVector.Empty : _pastVectors[random.Next(_pastVectors.Count)],
                };
                _pastVectors.Add(Document.StateVector);
                Apply(sender.EncodeStateAsUpdate(peer));
                Syncs++;
            }
            else if (action == 3)
            {
                var restarted = new TextDocument(Document.Replica);
                restarted.ApplyUpdate(Document.EncodeStateAsUpdate());
                Assert.Equal(Document.ToString(), restarted.ToString());
                Document = restarted;
            }
        }

        public void Finish(TextDocument[] agents, Random random)
        {
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_inFlight));
            foreach (TextUpdate update in _inFlight)
            {
                Apply(update);
            }

            // Restarts dropped pending queues: an anti-entropy round fills what they lost.
            foreach (TextDocument agent in agents)
            {
                Apply(agent.EncodeStateAsUpdate(Document.StateVector));
            }
        }

        private void Apply(TextUpdate update)
        {
            Document.ApplyUpdate(update);
            if (Document.HasPendingUpdates)
            {
                PendingSeen++;
            }
        }
    }
}
