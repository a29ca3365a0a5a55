using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Protocol.Sessions;
using Sync.Crdt.Replication;
using static Sync.Crdt.Protocol.Tests.Sessions.SessionHarness;

namespace Sync.Crdt.Protocol.Tests.Sessions;

/// <summary>Two clients and the server's values session, wired through a lossy network model (drops, duplicates,
/// reorders) and a store model (commits that succeed or fail): every schedule converges once the network heals, and no
/// ack is ever delivered for a change the store does not hold.</summary>
public sealed class SessionInterleavingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void RandomSchedules_Converge_AndAcksAreDurable(int seed)
    {
        var world = new World(seed);
        world.Run(steps: 400);
        world.Heal();

        long expected = world.Increments;
        Assert.Equal(expected, world.Server.Replicator.Get(Views).Value);
        foreach (Client client in world.Clients)
        {
            Assert.Equal(expected, client.Replicator.Get(Views).Value);
        }

        // Everything is durable: a server restarted from the store holds every increment.
        var restarted = new ValuesSession("doc", Server, Serializer);
        restarted.Load(Stored("doc", world.Committed));
        Assert.Equal(expected, restarted.Replicator.Get(Views).Value);
        Assert.True(world.AcksChecked > 0, "no ack was delivered");
    }

    [Fact]
    public void RandomSchedules_ReachEveryFault()
    {
        // Guards the power of the test above: its schedules really drop, duplicate, reorder, fail commits and resync.
        var totals = new Dictionary<string, int>();
        for (int seed = 1; seed <= 8; seed++)
        {
            var world = new World(seed);
            world.Run(steps: 400);
            world.Heal();
            foreach ((string fault, int count) in world.Faults)
            {
                totals[fault] = totals.GetValueOrDefault(fault) + count;
            }
        }

        foreach (string fault in new[] { "drop", "duplicate", "reorder", "commit-failed", "reopen", "ack" })
        {
            Assert.True(totals.GetValueOrDefault(fault) > 0, string.Create(CultureInfo.InvariantCulture, $"no {fault} happened: {string.Join(", ", totals)}"));
        }
    }

    private sealed class Client
    {
        public Client(ReplicaId replica)
        {
            Replicator = new DeltaReplicator(replica);
            Replicator.AddPeer(Server);
            Replicator.Define(Views, GCounter.Empty);
        }

        public DeltaReplicator Replicator { get; }

        public SessionMember? Member { get; set; }

        public long NextChannel { get; set; } = 1;

        public long NextSequence { get; set; } = 1;

        /// <summary>Per sent sequence, the events its update claimed (checked against the store when acked).</summary>
        public Dictionary<long, VersionVector> Claims { get; } = [];
    }

    private sealed class World
    {
        private readonly Random _random;
        private readonly List<(Client To, SyncFrame Frame)> _toClients = [];
        private readonly List<(Client From, SessionMember Member, SyncFrame Frame)> _toServer = [];
        private bool _lossy = true;

        public World(int seed)
        {
            _random = new Random(seed);
            Server = new ValuesSession("doc", SessionHarness.Server, Serializer);
            Clients = [new Client(Alice), new Client(Bob)];
            foreach (Client client in Clients)
            {
                Open(client);
            }
        }

        public ValuesSession Server { get; private set; }

        public Client[] Clients { get; }

        public List<ReadOnlyMemory<byte>> Committed { get; } = [];

        public long Increments { get; private set; }

        public int AcksChecked { get; private set; }

        public Dictionary<string, int> Faults { get; } = [];

        public void Run(int steps)
        {
            for (int i = 0; i < steps; i++)
            {
                Client client = Clients[_random.Next(Clients.Length)];
                switch (_random.Next(8))
                {
                    case 0:
                    case 1:
                        client.Replicator.Update(Views, static (c, r, out d) => c.Increment(r, 1, out d));
                        Increments++;
                        Push(client);
                        break;
                    case 2:
                        SendDigest(client);
                        break;
                    case 3:
                    case 4:
                        DeliverOneToServer();
                        break;
                    case 5:
                        ServerBatch();
                        break;
                    case 6:
                    case 7:
                        DeliverOneToClient();
                        break;
                }
            }
        }

        /// <summary>No more faults: reopen closed channels and run reliable anti-entropy rounds.</summary>
        public void Heal()
        {
            _lossy = false;
            for (int round = 0; round < 8; round++)
            {
                foreach (Client client in Clients)
                {
                    if (client.Member is not { Active: true })
                    {
                        Open(client);
                    }

                    Push(client);
                    SendDigest(client);
                }

                for (int exchange = 0; exchange < 100 && (_toServer.Count > 0 || _toClients.Count > 0); exchange++)
                {
                    while (_toServer.Count > 0)
                    {
                        DeliverOneToServer();
                    }

                    ServerBatch();
                    while (_toClients.Count > 0)
                    {
                        DeliverOneToClient();
                    }
                }
            }
        }

        private void Count(string fault) => Faults[fault] = Faults.GetValueOrDefault(fault) + 1;

        private void Open(Client client)
        {
            if (client.NextChannel > 1)
            {
                Count("reopen");
            }

            long channel = client.NextChannel++;
            client.Member = new SessionMember(client.Replicator.Replica, channel, canWrite: true);
            Route(Server.Handle(DocumentInput.Open(client.Member, OpenValues(channel, client.Replicator.Replica, client.Replicator.Vector), 0)));
        }

        private void Push(Client client)
        {
            foreach (OutgoingMessage message in client.Replicator.CreatePushMessages())
            {
                SendToServer(client, message.Message);
            }
        }

        private void SendDigest(Client client) => SendToServer(client, client.Replicator.CreateSyncMessage(SessionHarness.Server).Message);

        private void SendToServer(Client client, ReplicationMessage message)
        {
            if (client.Member is not { } member)
            {
                return;
            }

            long sequence = client.NextSequence++;
            if (message is DeltaGroupMessage group)
            {
                client.Claims[sequence] = group.Top;
            }

            _toServer.Add((client, member, Update(member.Channel, sequence, message)));
        }

        private int Pick<T>(List<T> queue)
        {
            // Mostly in order; sometimes any message (a reorder).
            if (!_lossy || queue.Count == 1 || _random.Next(3) > 0)
            {
                return 0;
            }

            Count("reorder");
            return _random.Next(1, queue.Count);
        }

        /// <summary>Whether the picked message is delivered, and whether it stays queued (a duplicate).</summary>
        private (bool Deliver, bool Keep) Fate()
        {
            if (!_lossy)
            {
                return (true, false);
            }

            int roll = _random.Next(10);
            if (roll == 0)
            {
                Count("drop");
                return (false, false);
            }

            if (roll == 1)
            {
                Count("duplicate");
                return (true, true);
            }

            return (true, false);
        }

        private void DeliverOneToServer()
        {
            if (_toServer.Count == 0)
            {
                return;
            }

            int index = Pick(_toServer);
            (Client _, SessionMember member, SyncFrame frame) = _toServer[index];
            (bool deliver, bool keep) = Fate();
            if (!keep)
            {
                _toServer.RemoveAt(index);
            }

            if (deliver)
            {
                List<DocumentOutput> outputs = Server.Handle(DocumentInput.Received(member, frame, 0));
                Assert.DoesNotContain(outputs, o => o.Kind == DocumentOutputKind.ChannelFailed);
                Route(outputs);
            }
        }

        private void ServerBatch()
        {
            List<DocumentOutput> outputs = Server.Handle(DocumentInput.EndBatch());
            if (outputs.Count > 0 && outputs[^1].Kind == DocumentOutputKind.Commit)
            {
                // No frame of the batch leaves before the commit report.
                Assert.Single(outputs);
                IReadOnlyList<ReadOnlyMemory<byte>> appends = outputs[0].Appends!;
                if (_lossy && _random.Next(12) == 0)
                {
                    Count("commit-failed");
                    outputs = Server.Handle(DocumentInput.CommitFailed("injected"));
                    Assert.Empty(outputs.Acks());
                }
                else
                {
                    Committed.AddRange(appends);
                    outputs = Server.Handle(DocumentInput.CommitDone());
                }
            }

            Route(outputs);
        }

        private void Route(List<DocumentOutput> outputs)
        {
            foreach (DocumentOutput output in outputs)
            {
                switch (output.Kind)
                {
                    case DocumentOutputKind.Send:
                        Client to = Clients.Single(c => c.Replicator.Replica == output.Member!.Replica);
                        _toClients.Add((to, output.Frame!));
                        break;
                    case DocumentOutputKind.Reload:
                        // The adapter rebuilds the session from the store: what was not committed is gone from memory.
                        Server = new ValuesSession("doc", SessionHarness.Server, Serializer);
                        Server.Load(Stored("doc", Committed));
                        foreach (Client client in Clients)
                        {
                            client.Member = null;
                        }

                        break;
                }
            }

            foreach (Client client in Clients)
            {
                if (client.Member is null && !_lossy)
                {
                    Open(client);
                }
            }
        }

        private void DeliverOneToClient()
        {
            if (_toClients.Count == 0)
            {
                return;
            }

            int index = Pick(_toClients);
            (Client client, SyncFrame frame) = _toClients[index];
            (bool deliver, bool keep) = Fate();
            if (!keep)
            {
                _toClients.RemoveAt(index);
            }

            if (!deliver)
            {
                return;
            }

            switch (frame)
            {
                case AckFrame ack:
                    // The durable-ack rule: the acknowledged change is in the store.
                    if (client.Claims.TryGetValue(ack.Sequence, out VersionVector? claimed))
                    {
                        var store = new ValuesSession("doc", SessionHarness.Server, Serializer);
                        store.Load(Stored("doc", Committed));
                        Assert.True(store.Vector.Dominates(claimed), $"ack {ack.Sequence} of {client.Replicator.Replica} before its change was committed");
                        AcksChecked++;
                        Count("ack");
                    }

                    break;
                case SyncedFrame synced:
                    Reply(client, synced.Payload);
                    break;
                case UpdateFrame update:
                    Reply(client, update.Payload);
                    break;
            }

            if (_lossy && client.Member is null && _random.Next(2) == 0)
            {
                Open(client);
            }
        }

        private void Reply(Client client, ReadOnlyMemory<byte> payload)
        {
            ReceiveResult result = client.Replicator.Receive(Serializer.Deserialize(payload.Span));
            foreach (OutgoingMessage reply in result.Replies)
            {
                SendToServer(client, reply.Message);
            }
        }
    }
}
