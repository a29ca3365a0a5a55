using System.Buffers;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Maps;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Benchmarks.Encoding;

/// <summary>Encode and decode time of single-mutation deltas, the messages replication sends most.</summary>
public class DeltaWireBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(256);
    private ORSet<string> _setDelta = null!;
    private LWWMap<string, string> _mapDelta = null!;
    private byte[] _setBytes = null!;
    private byte[] _mapBytes = null!;

    /// <summary>Builds one add delta on a 100,000-element set and one put delta on a 100,000-key map.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var set = (ORSet<string>)EncodingSamples.Create(EncodedShape.ORSet, 100_000);
        set.Add("replica-b", "element-new", out _setDelta);
        var map = (LWWMap<string, string>)EncodingSamples.Create(EncodedShape.LWWMap, 100_000);
        map.Put("replica-c", "key-000042", "changed", new LamportClock(1_000_000), out _mapDelta);
        _setBytes = CrdtSerializer.SerializeToBytes(_setDelta);
        _mapBytes = CrdtSerializer.SerializeToBytes(_mapDelta);
    }

    /// <summary>Encodes an OR-set add delta.</summary>
    [Benchmark]
    public int SetAddDeltaEncode()
    {
        _output.ResetWrittenCount();
        CrdtSerializer.Serialize(_output, _setDelta);
        return _output.WrittenCount;
    }

    /// <summary>Decodes an OR-set add delta.</summary>
    [Benchmark]
    public ORSet<string> SetAddDeltaDecode() => CrdtSerializer.Deserialize<ORSet<string>>(_setBytes);

    /// <summary>Encodes an LWW map put delta.</summary>
    [Benchmark]
    public int MapPutDeltaEncode()
    {
        _output.ResetWrittenCount();
        CrdtSerializer.Serialize(_output, _mapDelta);
        return _output.WrittenCount;
    }

    /// <summary>Decodes an LWW map put delta.</summary>
    [Benchmark]
    public LWWMap<string, string> MapPutDeltaDecode() => CrdtSerializer.Deserialize<LWWMap<string, string>>(_mapBytes);
}
