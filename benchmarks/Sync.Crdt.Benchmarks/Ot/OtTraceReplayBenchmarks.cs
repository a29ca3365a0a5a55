using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using Sync.Ot;

namespace Sync.Crdt.Benchmarks.Ot;

/// <summary>
/// Replays the automerge-paper trace (259,778 edits, 104,852 final code points): into a bare
/// <see cref="TextBuffer"/> (the baseline: no OT at all), and through an <see cref="OtServer"/> with two
/// <see cref="OtClient"/>s taking turns of 1–7 transactions, every edit sent, transformed, acknowledged and
/// broadcast to the other client.
/// </summary>
public class OtTraceReplayBenchmarks
{
    private string _start = null!;
    private string _end = null!;
    private List<TextEdit[]> _transactions = null!;

    /// <summary>Loads the trace.</summary>
    [GlobalSetup]
    public void Setup() => (_start, _end, _transactions) = BenchmarkTrace.Load("automerge-paper");

    /// <summary>Every edit applied straight to a gap buffer.</summary>
    [Benchmark(Baseline = true)]
    public int ReplayIntoTextBuffer()
    {
        var buffer = new TextBuffer(_start);
        foreach (TextEdit[] transaction in _transactions)
        {
            foreach (TextEdit edit in transaction)
            {
                buffer.Apply(edit);
            }
        }

        return Check(buffer.Utf16Length);
    }

    /// <summary>Every edit as a <see cref="TextOperation"/> applied to a gap buffer.</summary>
    [Benchmark]
    public int ReplayAsTextOperations()
    {
        var buffer = new TextBuffer(_start);
        foreach (TextEdit[] transaction in _transactions)
        {
            foreach (TextEdit edit in transaction)
            {
                buffer.Apply(TextOperation.FromEdit(buffer.CodePointLength, edit));
            }
        }

        return Check(buffer.Utf16Length);
    }

    /// <summary>The whole trace through a server and two clients (undo stacks of 8 entries each).</summary>
    [Benchmark]
    public int ReplayThroughServerWithTwoClients()
    {
        var server = new OtServer(new DocumentSnapshot(0, _start), historyLimit: 1000);
        var alice = new OtClient("alice", server.Snapshot(), undoLimit: 8);
        var bob = new OtClient("bob", server.Snapshot(), undoLimit: 8);
        var toServer = new Queue<ClientSubmission>();
        var random = new Random(7);
        bool aliceTurn = true;
        int index = 0;
        while (index < _transactions.Count)
        {
            OtClient author = aliceTurn ? alice : bob;
            OtClient other = aliceTurn ? bob : alice;
            int turn = random.Next(1, 8);
            for (int i = 0; i < turn && index < _transactions.Count; i++, index++)
            {
                foreach (TextEdit edit in _transactions[index])
                {
                    ClientSubmission? submission = author.ApplyLocal(edit);
                    if (submission is not null)
                    {
                        toServer.Enqueue(submission);
                    }
                }
            }

            while (toServer.TryDequeue(out ClientSubmission? submission))
            {
                RevisionedOperation applied = server.Receive(submission).EnsureAccepted();
                other.ApplyRemote(applied);
                ClientSubmission? next = author.Acknowledge(applied.Revision);
                if (next is not null)
                {
                    toServer.Enqueue(next);
                }
            }

            aliceTurn = !aliceTurn;
        }

        return Check(server.DocumentCodePointLength);
    }

    private int Check(int length) =>
        length == _end.Length ? length : throw new InvalidOperationException($"Replay produced {length} characters, expected {_end.Length}.");
}
