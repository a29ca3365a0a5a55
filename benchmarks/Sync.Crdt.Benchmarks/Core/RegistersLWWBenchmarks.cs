using BenchmarkDotNet.Attributes;
using Sync.Crdt.Causality;
using Sync.Crdt.Registers;

namespace Sync.Crdt.Benchmarks.Core;

/// <summary>
/// Last-writer-wins register costs. A register holds one write, so size is not a parameter: merge is one timestamp
/// comparison that returns an operand.
/// </summary>
public class RegistersLWWBenchmarks
{
    private readonly LamportClock _clock = new();
    private LWWRegister<string> _older = LWWRegister<string>.Empty;
    private LWWRegister<string> _newer = LWWRegister<string>.Empty;
    private LWWRegister<string> _tieLeft = LWWRegister<string>.Empty;
    private LWWRegister<string> _tieRight = LWWRegister<string>.Empty;
    private ReplicaId _replica;

    /// <summary>Builds the registers.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _replica = new ReplicaId("replica-000001");
        _older = LWWRegister<string>.Create(new LWWTimestamp(10, "replica-000002"), "older");
        _newer = LWWRegister<string>.Create(new LWWTimestamp(11, "replica-000001"), "newer");
        _tieLeft = LWWRegister<string>.Create(new LWWTimestamp(11, "replica-000001"), "left");
        _tieRight = LWWRegister<string>.Create(new LWWTimestamp(11, "replica-000002"), "right");
    }

    /// <summary>Merge where the timestamps differ.</summary>
    [Benchmark]
    public LWWRegister<string> Merge() => _older.Merge(_newer);

    /// <summary>Merge where the times tie and the replica id decides.</summary>
    [Benchmark]
    public LWWRegister<string> MergeTieByReplica() => _tieLeft.Merge(_tieRight);

    /// <summary>A local write through a Lamport clock, with its delta.</summary>
    [Benchmark]
    public LWWRegister<string> SetWithClock() => _older.Set(_replica, "local", _clock, out _);

    /// <summary>A write with an explicit timestamp that wins.</summary>
    [Benchmark]
    public LWWRegister<string> SetWithTimestamp() => _older.Set(new LWWTimestamp(12, _replica), "explicit", out _);
}
