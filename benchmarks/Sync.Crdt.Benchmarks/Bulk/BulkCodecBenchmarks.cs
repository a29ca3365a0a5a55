using System;
using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Sync.Crdt.Benchmarks.Encoding;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Maps;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Benchmarks.Bulk;

/// <summary>
/// Whole-state binary decode and encode of 100k-entry values, each beside its floor in the same run: decode
/// against <see cref="FlatWire"/>'s flat parse of the same bytes into arrays (category <c>Decode</c>, JSON decode
/// in the same category), encode against a flat write of the same bytes from arrays (category <c>Encode</c>).
/// The <c>Ratio</c> column is the ratio to the category's floor.
/// </summary>
[Config(typeof(Config))]
public class BulkCodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(1 << 23);
    private readonly byte[] _flatOutput = new byte[1 << 23];
    private object _value = null!;
    private byte[] _binary = null!;
    private byte[] _json = null!;
    private byte[] _signature = null!;
    private object _flat = null!;

    /// <summary>Gets or sets the value's shape.</summary>
    [Params(EncodedShape.GCounter, EncodedShape.PNCounter, EncodedShape.ORSet, EncodedShape.LWWMap)]
    public EncodedShape Shape { get; set; }

    /// <summary>Gets or sets the number of entries.</summary>
    [Params(100_000)]
    public int Entries { get; set; }

    /// <summary>Builds the value, its encodings and its flat form; checks that the flat write reproduces the bytes.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _value = EncodingSamples.Create(Shape, Entries);
        _binary = EncodingSamples.Binary(_value);
        _json = EncodingSamples.JsonBytes(_value);
        _signature = FlatWire.Signature(_binary);
        _flat = FlatParse();
        int length = FlatWrite();
        if (!_flatOutput.AsSpan(0, length).SequenceEqual(_binary))
        {
            throw new InvalidOperationException("The flat write floor does not reproduce the encoded bytes.");
        }
    }

    /// <summary>Floor: a flat parse of the same bytes into arrays.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Decode")]
    public object FlatParse() => Shape switch
    {
        EncodedShape.GCounter => FlatWire.ParseVector(_binary),
        EncodedShape.PNCounter => FlatWire.ParsePair(_binary),
        EncodedShape.ORSet => FlatWire.ParseSet(_binary),
        _ => FlatWire.ParseMap(_binary),
    };

    /// <summary>Binary decoding, with full validation.</summary>
    [Benchmark]
    [BenchmarkCategory("Decode")]
    public object BinaryDecode() => Shape switch
    {
        EncodedShape.GCounter => CrdtSerializer.Deserialize<GCounter>(_binary),
        EncodedShape.PNCounter => CrdtSerializer.Deserialize<PNCounter>(_binary),
        EncodedShape.ORSet => CrdtSerializer.Deserialize<ORSet<string>>(_binary),
        _ => CrdtSerializer.Deserialize<LWWMap<string, string>>(_binary),
    };

    /// <summary>JSON decoding with full validation (target: within 2x of binary decoding).</summary>
    [Benchmark]
    [BenchmarkCategory("Decode")]
    public object? JsonDecode() => JsonSerializer.Deserialize(_json, _value.GetType(), EncodingSamples.Json);

    /// <summary>Floor: writing the same bytes from flat arrays.</summary>
    [Benchmark(Baseline = true)]
    [BenchmarkCategory("Encode")]
    public int FlatWrite() => _flat switch
    {
        FlatVector v => FlatWire.WriteVector(_flatOutput, _signature, v),
        ValueTuple<FlatVector, FlatVector> pair => FlatWire.WritePair(_flatOutput, _signature, pair.Item1, pair.Item2),
        FlatSet s => FlatWire.WriteSet(_flatOutput, _signature, s),
        _ => FlatWire.WriteMap(_flatOutput, _signature, (FlatMap)_flat),
    };

    /// <summary>Binary encoding into a reused buffer writer.</summary>
    [Benchmark]
    [BenchmarkCategory("Encode")]
    public int BinaryEncode()
    {
        _output.ResetWrittenCount();
        switch (_value)
        {
            case GCounter g:
                CrdtSerializer.Serialize(_output, g);
                break;
            case PNCounter p:
                CrdtSerializer.Serialize(_output, p);
                break;
            case ORSet<string> s:
                CrdtSerializer.Serialize(_output, s);
                break;
            default:
                CrdtSerializer.Serialize(_output, (LWWMap<string, string>)_value);
                break;
        }

        return _output.WrittenCount;
    }

    /// <summary>Groups by category so each category's ratio is to its own floor.</summary>
    private sealed class Config : ManualConfig
    {
        public Config()
        {
            AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams);
            AddColumn(new EncodedSizeColumn());
        }
    }
}
