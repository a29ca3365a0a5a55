using System;
using BenchmarkDotNet.Attributes;
using Sync.Ot;

namespace Sync.Crdt.Benchmarks.Ot;

/// <summary>
/// Transform and compose throughput on a 10,000-code-point document: single keystroke-sized edits (retain / insert
/// or delete / retain, what an editor sends) and operations carrying many edits (what a client's buffer or a
/// catch-up composition looks like).
/// </summary>
public class OtTransformComposeBenchmarks
{
    private const int DocumentCodePointLength = 10_000;

    private TextOperation _insertA = null!;
    private TextOperation _deleteB = null!;
    private TextOperation _insertThenDelete = null!;
    private TextOperation _manyA = null!;
    private TextOperation _manyB = null!;
    private TextOperation _manyAfterA = null!;

    /// <summary>Gets or sets the number of edits in each "many" operation.</summary>
    [Params(50)]
    public int EditsPerOperation { get; set; }

    /// <summary>Builds the operations.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _insertA = TextOperation.Insert(DocumentCodePointLength, 4_000, "x");
        _deleteB = TextOperation.Delete(DocumentCodePointLength, 4_000, 3);
        _insertThenDelete = TextOperation.Delete(DocumentCodePointLength + 1, 4_010, 2);
        var random = new Random(42);
        _manyA = Scattered(random, DocumentCodePointLength, EditsPerOperation);
        _manyB = Scattered(random, DocumentCodePointLength, EditsPerOperation);
        _manyAfterA = Scattered(random, _manyA.TargetCodePointLength, EditsPerOperation);
    }

    /// <summary>Transforms two concurrent single edits (an insert and a delete at the same place).</summary>
    [Benchmark]
    public TransformedPair TransformSingleEdits() => TextOperation.Transform(_insertA, "alice", _deleteB, "bob");

    /// <summary>Composes two consecutive single edits.</summary>
    [Benchmark]
    public TextOperation ComposeSingleEdits() => _insertA.Compose(_insertThenDelete);

    /// <summary>Transforms two concurrent operations of <see cref="EditsPerOperation"/> edits each.</summary>
    [Benchmark]
    public TransformedPair TransformManyEdits() => TextOperation.Transform(_manyA, "alice", _manyB, "bob");

    /// <summary>Composes two consecutive operations of <see cref="EditsPerOperation"/> edits each.</summary>
    [Benchmark]
    public TextOperation ComposeManyEdits() => _manyA.Compose(_manyAfterA);

    private static TextOperation Scattered(Random random, int length, int edits)
    {
        var builder = new TextOperationBuilder();
        int stride = length / edits;
        int remaining = length;
        for (int i = 0; i < edits; i++)
        {
            int retain = random.Next(1, stride - 3);
            builder.Retain(retain);
            if (random.Next(2) == 0)
            {
                builder.Insert("abc");
                remaining -= retain;
            }
            else
            {
                builder.Delete(2);
                remaining -= retain + 2;
            }
        }

        return builder.Retain(remaining).ToOperation();
    }
}
