using System;
using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Sync.Crdt.Counters;
using Sync.Crdt.Encoding;
using Sync.Crdt.Maps;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Benchmarks.Encoding;

/// <summary>Encode and decode time of whole states, binary versus JSON, with the encoded size as a column.</summary>
[Config(typeof(Config))]
public class WireFormatBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private object _value = null!;
    private byte[] _binary = null!;
    private byte[] _json = null!;

    /// <summary>Gets or sets the value's shape.</summary>
    [Params(EncodedShape.GCounter, EncodedShape.PNCounter, EncodedShape.ORSet, EncodedShape.LWWMap)]
    public EncodedShape Shape { get; set; }

    /// <summary>Gets or sets the number of entries (replicas of a counter, elements of a set, keys of a map).</summary>
    [Params(1_000, 100_000)]
    public int Entries { get; set; }

    /// <summary>Builds the value and its encodings.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _value = EncodingSamples.Create(Shape, Entries);
        _binary = EncodingSamples.Binary(_value);
        _json = EncodingSamples.JsonBytes(_value);
    }

    /// <summary>Binary encoding into a reused buffer writer.</summary>
    [Benchmark]
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

    /// <summary>Binary decoding, with full validation.</summary>
    [Benchmark]
    public object BinaryDecode() => Shape switch
    {
        EncodedShape.GCounter => CrdtSerializer.Deserialize<GCounter>(_binary),
        EncodedShape.PNCounter => CrdtSerializer.Deserialize<PNCounter>(_binary),
        EncodedShape.ORSet => CrdtSerializer.Deserialize<ORSet<string>>(_binary),
        _ => CrdtSerializer.Deserialize<LWWMap<string, string>>(_binary),
    };

    /// <summary>JSON encoding with the Sync.Crdt converters into a reused buffer writer.</summary>
    [Benchmark]
    public long JsonEncode()
    {
        _output.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(_output);
        JsonSerializer.Serialize(writer, _value, _value.GetType(), EncodingSamples.Json);
        return writer.BytesCommitted + writer.BytesPending;
    }

    /// <summary>JSON decoding with the Sync.Crdt converters, with full validation.</summary>
    [Benchmark]
    public object? JsonDecode() => JsonSerializer.Deserialize(_json, _value.GetType(), EncodingSamples.Json);

    /// <summary>Adds the encoded-size column.</summary>
    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new EncodedSizeColumn());
    }
}
