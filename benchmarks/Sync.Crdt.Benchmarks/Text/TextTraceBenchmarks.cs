using System;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Causality;
using Sync.Crdt.Text;

namespace Sync.Crdt.Benchmarks.Text;

/// <summary>
/// TextDocument on the automerge-paper trace (259,778 edits): local replay, loading the encoded document, encoding it,
/// and catching up a replica that stopped half-way. The Yjs columns come from benchmarks/peers/yjs-trace.mjs, run by this
/// BenchmarkDotNet session (see <see cref="TextBenchmarkConfig"/>).
/// </summary>
[Config(typeof(TextBenchmarkConfig))]
public class TextTraceBenchmarks
{
    private TraceFile _trace = null!;
    private TextUpdate _full;
    private TextUpdate _half;
    private TextDocument _document = null!;
    private TextDocument _stale = null!;
    private TextUpdate _forkedAuthor;
    private TextUpdate _coauthorEdits;
    private TextDocument _mergeTarget = null!;

    /// <summary>Loads the trace and prepares the encoded documents.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _trace = TraceFile.LoadSequential("automerge-paper");
        _document = Replay(_trace, _trace.Positions.Length);
        if (_document.ToString() != _trace.EndContent)
        {
            throw new InvalidOperationException("Replay does not match endContent.");
        }

        _full = _document.EncodeStateAsUpdate();
        _half = Replay(_trace, _trace.Positions.Length / 2).EncodeStateAsUpdate();
        SetupConcurrent();
    }

    /// <summary>Creates the replica for <see cref="MergeConcurrentReplicas"/>: the author's state after the fork.</summary>
    [IterationSetup(Target = nameof(MergeConcurrentReplicas))]
    public void SetupMergeTarget()
    {
        _mergeTarget = new TextDocument(new ReplicaId("author-copy"));
        _mergeTarget.ApplyUpdate(_forkedAuthor);
    }

    /// <summary>Creates the stale replica for <see cref="MergeStaleReplica"/>.</summary>
    [IterationSetup(Target = nameof(MergeStaleReplica))]
    public void SetupStale()
    {
        _stale = new TextDocument(new ReplicaId("stale"));
        _stale.ApplyUpdate(_half);
    }

    /// <summary>Replays all edits locally; every edit also produces its update (as a caller shipping edits would).</summary>
    [Benchmark]
    public TextDocument ReplayLocal() => Replay(_trace, _trace.Positions.Length);

    /// <summary>Loads the encoded final document into a fresh replica.</summary>
    [Benchmark]
    public TextDocument LoadEncoded()
    {
        var fresh = new TextDocument(new ReplicaId("loader"));
        fresh.ApplyUpdate(_full);
        return fresh;
    }

    /// <summary>Encodes the whole final document.</summary>
    [Benchmark]
    public TextUpdate EncodeFull() => _document.EncodeStateAsUpdate();

    /// <summary>A replica that loaded the state after half the trace catches up: diff against its state vector, then apply.</summary>
    [Benchmark]
    public TextDocument MergeStaleReplica()
    {
        _stale.ApplyUpdate(_document.EncodeStateAsUpdate(_stale.StateVector));
        return _stale;
    }

    /// <summary>
    /// Two replicas edit concurrently, then merge: the author (first 130,000 trace edits, then the next 10,000) and a
    /// co-author who forked after the first 130,000 and made 10,000 edits of its own (words typed and deleted at random
    /// places, fixed seed). Measures applying the co-author's 10,000 concurrent edits (one update) to the author's state.
    /// </summary>
    [Benchmark]
    public TextDocument MergeConcurrentReplicas()
    {
        _mergeTarget.ApplyUpdate(_coauthorEdits);
        return _mergeTarget;
    }

    private void SetupConcurrent()
    {
        const int Fork = 130_000;
        TextDocument author = Replay(_trace, Fork);
        var coauthor = new TextDocument(new ReplicaId("coauthor"));
        coauthor.ApplyUpdate(author.EncodeStateAsUpdate());
        Sync.Crdt.Causality.VersionVector fork = coauthor.StateVector;
        for (int i = Fork; i < Fork + 10_000; i++)
        {
            if (_trace.Deletes[i] > 0)
            {
                author.Delete(_trace.Positions[i], _trace.Deletes[i]);
            }

            if (_trace.Inserts[i].Length > 0)
            {
                author.Insert(_trace.Positions[i], _trace.Inserts[i]);
            }
        }

        var random = new Random(7);
        int caret = 0;
        for (int i = 0; i < 10_000; i++)
        {
            if (i % 20 == 0)
            {
                caret = random.Next(coauthor.Length);
            }

            if (random.Next(5) == 0 && caret > 0)
            {
                coauthor.Delete(--caret, 1);
            }
            else
            {
                coauthor.Insert(caret++, ((char)('a' + random.Next(26))).ToString());
            }
        }

        _forkedAuthor = author.EncodeStateAsUpdate();
        _coauthorEdits = coauthor.EncodeStateAsUpdate(fork);
        coauthor.ApplyUpdate(author.EncodeStateAsUpdate(coauthor.StateVector));
        author.ApplyUpdate(_coauthorEdits);
        if (author.ToString() != coauthor.ToString())
        {
            throw new InvalidOperationException("The concurrent replicas did not converge.");
        }
    }

    internal static TextDocument Replay(TraceFile trace, int count)
    {
        var document = new TextDocument(new ReplicaId("author"));
        int[] positions = trace.Positions;
        int[] deletes = trace.Deletes;
        string[] inserts = trace.Inserts;
        for (int i = 0; i < count; i++)
        {
            if (deletes[i] > 0)
            {
                document.Delete(positions[i], deletes[i]);
            }

            if (inserts[i].Length > 0)
            {
                document.Insert(positions[i], inserts[i]);
            }
        }

        return document;
    }
}
