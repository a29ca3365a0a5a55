using System;
using System.Collections.Generic;
using System.Globalization;

namespace Sync.Ot.Tests;

/// <summary>
/// A deterministic, seeded simulation of one <see cref="OtServer"/> and several <see cref="OtClient"/>s over
/// channels with random delays. Each channel (client → server, server → client) is FIFO, as a WebSocket is; messages
/// on different channels overtake each other freely.
/// </summary>
public sealed class NetworkSimulation
{
    private readonly Random _random;
    private readonly PriorityQueue<Action, (long Time, long Sequence)> _events = new();
    private readonly Dictionary<string, long> _channelClock = [];
    private readonly int _maxDelay;
    private long _now;
    private long _sequence;

    public NetworkSimulation(int seed, int clientCount, string initialText, int maxDelay = 20, int? historyLimit = null)
    {
        _random = new Random(seed);
        _maxDelay = maxDelay;
        Server = new OtServer(new DocumentSnapshot(0, initialText), historyLimit);
        Clients = [];
        for (int i = 0; i < clientCount; i++)
        {
            Clients.Add(new OtClient("c" + i.ToString(CultureInfo.InvariantCulture), Server.Snapshot()));
        }
    }

    public OtServer Server { get; }

    public List<OtClient> Clients { get; }

    public int Resyncs { get; private set; }

    public int AcceptedOperations { get; private set; }

    public int Undos { get; private set; }

    public HashSet<ClientState> StatesSeen { get; } = [];

    /// <summary>Runs <paramref name="steps"/> steps (a random client edits, undoes or redoes, or the next message is delivered), then delivers everything.</summary>
    public void Run(int steps)
    {
        for (int step = 0; step < steps; step++)
        {
            _now++;
            if (_random.Next(3) == 0 || _events.Count == 0)
            {
                OtClient client = Clients[_random.Next(Clients.Count)];
                ClientSubmission? submission = _random.Next(10) switch
                {
                    0 => CountUndo(client.Undo()),
                    1 => client.Redo(),
                    _ => client.ApplyLocal(OtGenerators.RandomOperation(_random, client.DocumentCodePointLength)),
                };
                StatesSeen.Add(client.State);
                SendToServer(submission);
            }
            else
            {
                DeliverNext();
            }
        }

        while (_events.Count > 0)
        {
            DeliverNext();
        }
    }

    private ClientSubmission? CountUndo(ClientSubmission? submission)
    {
        Undos++;
        return submission;
    }

    private void DeliverNext()
    {
        _events.TryDequeue(out Action? action, out (long Time, long Sequence) at);
        _now = Math.Max(_now, at.Time);
        action!();
    }

    private void Schedule(string channel, Action action)
    {
        long time = _now + 1 + _random.Next(_maxDelay);
        if (_channelClock.TryGetValue(channel, out long last) && last > time)
        {
            time = last; // FIFO per channel: never overtake an earlier message on the same channel
        }

        _channelClock[channel] = time;
        _events.Enqueue(action, (time, _sequence++));
    }

    private void SendToServer(ClientSubmission? submission)
    {
        if (submission is null)
        {
            return;
        }

        Schedule("up:" + submission.ClientId, () => ServerReceives(submission));
    }

    private void ServerReceives(ClientSubmission submission)
    {
        ServerResponse response = Server.Receive(submission);
        OtClient author = Clients.Find(c => c.ClientId == submission.ClientId)!;
        if (!response.IsAccepted)
        {
            if (response.Error != ProtocolError.ResyncRequired)
            {
                throw new InvalidOperationException($"Unexpected rejection: {response}");
            }

            DocumentSnapshot snapshot = response.Snapshot!;
            Schedule("down:" + author.ClientId, () =>
            {
                Resyncs++;
                author.Resync(snapshot);
            });
            return;
        }

        AcceptedOperations++;
        RevisionedOperation applied = response.Applied;
        foreach (OtClient client in Clients)
        {
            OtClient target = client;
            if (target == author)
            {
                Schedule("down:" + target.ClientId, () => SendToServer(target.Acknowledge(applied.Revision)));
            }
            else
            {
                Schedule("down:" + target.ClientId, () =>
                {
                    // After a resync a client has skipped the revisions its snapshot already contains.
                    if (applied.Revision > target.Revision)
                    {
                        target.ApplyRemote(applied);
                    }
                });
            }
        }
    }
}
