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
/// Measuring replication messages: <see cref="ReplicationSerializer.GetSerializedSize"/> (a walk for digests, a pooled
/// scratch encoding for messages with values) against serializing the message to count its bytes (the floor).
/// </summary>
public class ReplicationSerializerBenchmarks
{
    private static readonly ReplicationSerializer Serializer = new([ReplicatedValueFormat.Create(CrdtCodecs.LWWMap(CrdtCodecs.String, CrdtCodecs.String))]);

    private DigestMessage _digest = null!;
    private FullStateMessage _fullState = null!;

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
}
