using System;
using System.Collections.Generic;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using Sync.Ot;

namespace Sync.Crdt.Benchmarks.Ot;

/// <summary>
/// A client 1,000 revisions behind: the server transforming its operation over the 1,000 operations it missed,
/// the server composing those 1,000 operations into one catch-up operation, and the client applying the 1,000
/// broadcasts over its own pending edit.
/// </summary>
public class OtServerCatchUpBenchmarks
{
    private const int InitialLength = 10_000;

    private OtServer _server = null!;
    private DocumentSnapshot _behind = null!;
    private IReadOnlyList<RevisionedOperation> _missed = null!;
    private int[] _positions = null!;
    private int _next;

    /// <summary>Gets or sets how many revisions the client is behind.</summary>
    [Params(1_000)]
    public int RevisionsBehind { get; set; }

    /// <summary>Builds a server whose last <see cref="RevisionsBehind"/> revisions are typing and deleting by one writer.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _server = new OtServer(new DocumentSnapshot(0, new string('.', InitialLength)));
        _behind = _server.Snapshot();
        long revision = 0;
        for (int i = 0; i < RevisionsBehind; i++)
        {
            int length = _server.DocumentCodePointLength;
            TextOperation op = random.Next(3) == 0
                ? TextOperation.Delete(length, random.Next(length - 1), 1)
                : TextOperation.Insert(length, random.Next(length), "w");
            revision = _server.Receive(new ClientSubmission("writer", revision, op)).EnsureAccepted().Revision;
        }

        _server.TryGetOperationsSince(0, out _missed);
        _positions = new int[4096];
        for (int i = 0; i < _positions.Length; i++)
        {
            _positions[i] = random.Next(InitialLength);
        }
    }

    /// <summary>The server receives an operation based on a revision <see cref="RevisionsBehind"/> behind, transforms and applies it.</summary>
    [Benchmark]
    public long ServerReceiveFromClientBehind()
    {
        // Each call comes from a fresh client id (one client's operations are never concurrent with each other),
        // based exactly RevisionsBehind revisions back; the history keeps growing, the work per call does not.
        long baseRevision = _server.Revision - RevisionsBehind;
        _server.TryGetOperationsSince(baseRevision, out IReadOnlyList<RevisionedOperation> since);
        int baseLength = since[0].Operation.BaseCodePointLength;
        int position = _positions[_next++ & (_positions.Length - 1)] % (baseLength + 1);
        string client = "late" + _next.ToString(CultureInfo.InvariantCulture);
        return _server.Receive(new ClientSubmission(client, baseRevision, TextOperation.Insert(baseLength, position, "L"))).EnsureAccepted().Revision;
    }

    /// <summary>Composes the <see cref="RevisionsBehind"/> missed operations one by one into one operation a client can apply at once.</summary>
    [Benchmark]
    public TextOperation ComposeMissedOperations()
    {
        TextOperation catchUp = _missed[0].Operation;
        for (int i = 1; i < _missed.Count; i++)
        {
            catchUp = catchUp.Compose(_missed[i].Operation);
        }

        return catchUp;
    }

    /// <summary>Composes the missed operations pairwise in a balanced tree (<see cref="TextOperation.ComposeAll"/>).</summary>
    [Benchmark]
    public TextOperation ComposeAllMissedOperations()
    {
        var operations = new TextOperation[_missed.Count];
        for (int i = 0; i < operations.Length; i++)
        {
            operations[i] = _missed[i].Operation;
        }

        return TextOperation.ComposeAll(operations);
    }

    /// <summary>A client with one pending edit applies the <see cref="RevisionsBehind"/> broadcasts it missed (including creating the client).</summary>
    [Benchmark]
    public long ClientAppliesMissedOperations()
    {
        var client = new OtClient("late", _behind);
        client.ApplyLocal(TextEdit.Insert(InitialLength / 2, "L"));
        foreach (RevisionedOperation op in _missed)
        {
            client.ApplyRemote(op);
        }

        return client.Revision;
    }
}
