using System;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Causality;
using Sync.Crdt.Text;

namespace Sync.Crdt.Benchmarks.Text;

/// <summary>
/// Edits at random positions of a large document (the 104,852-character automerge-paper result, 12,405 items), where the
/// previous-edit cache does not help: shows that an index lookup is not a scan of the document. Compared with the same
/// edits at the end of the document (the cached fast path).
/// </summary>
public class TextRandomEditBenchmarks
{
    private const int Edits = 10_000;

    private TextUpdate _document;
    private int[] _positions = null!;
    private TextDocument _target = null!;

    /// <summary>Builds the document and the random positions (fixed seed).</summary>
    [GlobalSetup]
    public void Setup()
    {
        TraceFile trace = TraceFile.LoadSequential("automerge-paper");
        TextDocument replayed = TextTraceBenchmarks.Replay(trace, trace.Positions.Length);
        _document = replayed.EncodeStateAsUpdate();
        var random = new Random(42);
        _positions = new int[Edits];
        for (int i = 0; i < Edits; i++)
        {
            _positions[i] = random.Next(replayed.Length - 1);
        }
    }

    /// <summary>Loads a fresh copy of the document before each iteration.</summary>
    [IterationSetup]
    public void Load()
    {
        _target = new TextDocument(new ReplicaId("editor"));
        _target.ApplyUpdate(_document);
    }

    /// <summary>10,000 edits (alternating 1-character insert and delete) at random positions.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Edits)]
    public TextDocument RandomPositions()
    {
        for (int i = 0; i < Edits; i++)
        {
            if ((i & 1) == 0)
            {
                _target.Insert(_positions[i], "x");
            }
            else
            {
                _target.Delete(_positions[i], 1);
            }
        }

        return _target;
    }

    /// <summary>The same number of edits at the end of the document (typing and backspacing there).</summary>
    [Benchmark(OperationsPerInvoke = Edits)]
    public TextDocument AtTheEnd()
    {
        for (int i = 0; i < Edits; i++)
        {
            if ((i & 1) == 0)
            {
                _target.Insert(_target.Length, "x");
            }
            else
            {
                _target.Delete(_target.Length - 1, 1);
            }
        }

        return _target;
    }
}
