using System;
using System.Collections.Generic;

namespace Sync.Ot.Tests;

/// <summary>
/// Plays a sequential trace through a server and two clients taking turns: each turn one client makes a random
/// number of consecutive transactions (composed into its buffer while the first awaits acknowledgement), then the
/// server's messages are delivered so the other client sees everything before its turn (the trace's positions assume
/// the whole history).
/// </summary>
public sealed class TraceSession
{
    private readonly Queue<ClientSubmission> _toServer = new();

    private TraceSession(string initial)
    {
        Server = new OtServer(new DocumentSnapshot(0, initial), historyLimit: 1000);
        Alice = new OtClient("alice", Server.Snapshot(), undoLimit: 8);
        Bob = new OtClient("bob", Server.Snapshot(), undoLimit: 8);
    }

    public OtServer Server { get; }

    public OtClient Alice { get; }

    public OtClient Bob { get; }

    public int BufferedEdits { get; private set; }

    public static TraceSession Run(EditingTrace trace, int seed)
    {
        var session = new TraceSession(trace.StartContent);
        var random = new Random(seed);
        bool aliceTurn = true;
        int index = 0;
        while (index < trace.Transactions.Count)
        {
            OtClient author = aliceTurn ? session.Alice : session.Bob;
            int turn = random.Next(1, 8);
            for (int i = 0; i < turn && index < trace.Transactions.Count; i++, index++)
            {
                foreach (TextEdit edit in trace.Transactions[index])
                {
                    ClientSubmission? submission = author.ApplyLocal(edit);
                    if (submission is null)
                    {
                        session.BufferedEdits++;
                    }
                    else
                    {
                        session._toServer.Enqueue(submission);
                    }
                }
            }

            session.DeliverAll();
            aliceTurn = !aliceTurn;
        }

        return session;
    }

    private void DeliverAll()
    {
        while (_toServer.TryDequeue(out ClientSubmission? submission))
        {
            RevisionedOperation applied = Server.Receive(submission).EnsureAccepted();
            OtClient author = submission.ClientId == Alice.ClientId ? Alice : Bob;
            OtClient other = author == Alice ? Bob : Alice;
            other.ApplyRemote(applied);
            ClientSubmission? next = author.Acknowledge(applied.Revision);
            if (next is not null)
            {
                _toServer.Enqueue(next);
            }
        }
    }
}
