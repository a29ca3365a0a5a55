using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Maps;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;

namespace Sync.Crdt.Benchmarks.Replication;

/// <summary>
/// Measuring and deserializing replication messages: <see cref="ReplicationSerializer.GetSerializedSize"/> (a walk for
/// digests, a pooled scratch encoding for messages with values) against serializing the message to count its bytes
/// (the floor), and deserializing one frame from a span against the same frame split into four segments.
/// </summary>
public class ReplicationSerializerBenchmarks
{
    private static readonly ReplicationSerializer Serializer = new([ReplicatedValueFormat.Create(CrdtCodecs.LWWMap(CrdtCodecs.String, CrdtCodecs.String))]);

    private DigestMessage _digest = null!;
    private FullStateMessage _fullState = null!;
    private byte[] _frame = null!;
    private ReadOnlySequence<byte> _segmented;

    /// <summary>Gets or sets the number of replicas in the digest's vector (and map entries / 10 in the full state).</summary>
    [Params(8, 500)]
    public int Replicas { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ReplicaId[] ids = Enumerable.Range(0, Replicas).Select(i => new ReplicaId("replica-" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        _digest = new DigestMessage(ids[0], VersionVector.Create(ids.Select((id, i) => new Dot(id, 1000 + i))));
        LWWMap<string, string>.Builder map = LWWMap<string, string>.Empty.ToBuilder();
        for (int i = 0; i < Replicas * 10; i++)
        {
            map.Put(new LWWTimestamp(i + 1, ids[i % ids.Length]), "key" + i.ToString(CultureInfo.InvariantCulture), "value");
        }

        _fullState = new FullStateMessage(ids[0], _digest.Vector, [new KeyValuePair<string, ReplicatedValue>("map", ReplicatedValue.Create(map.ToImmutable()))]);
        _frame = Serializer.SerializeToBytes(_fullState);
        _segmented = Split(_frame, 4);
    }

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("digest")]
    public int DigestSizeBySerializing() => Serializer.SerializeToBytes(_digest).Length;

    [Benchmark]
    [BenchmarkCategory("digest")]
    public int DigestSizeByWalk() => Serializer.GetSerializedSize(_digest);

    [Benchmark]
    [BenchmarkCategory("full state")]
    public int FullStateSizeBySerializing() => Serializer.SerializeToBytes(_fullState).Length;

    [Benchmark]
    [BenchmarkCategory("full state")]
    public int FullStateSizeWithPooledScratch() => Serializer.GetSerializedSize(_fullState);

    [Benchmark]
    [BenchmarkCategory("decode")]
    public ReplicationMessage DeserializeSpan() => Serializer.Deserialize(_frame);

    [Benchmark]
    [BenchmarkCategory("decode")]
    public ReplicationMessage DeserializeFourSegments() => Serializer.Deserialize(_segmented);

    private static ReadOnlySequence<byte> Split(byte[] bytes, int parts)
    {
        int size = (bytes.Length + parts - 1) / parts;
        Segment first = new(bytes.AsMemory(0, size), 0);
        Segment last = first;
        for (int at = size; at < bytes.Length; at += size)
        {
            last = last.Append(bytes.AsMemory(at, Math.Min(size, bytes.Length - at)));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
