using System;
using System.Collections.Generic;
using System.Linq;
using FsCheck;
using FsCheck.Fluent;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Replication.Tests.TestTypes;
using Sync.Crdt.TestSupport;

namespace Sync.Crdt.Replication.Tests;

public class ReplicationSerializerTests
{
    private static readonly ReplicationSerializer Serializer = new(TestFormats.All);
    private static readonly ReplicaId[] Ids = ["a", "b", "c", "replica-with-a-longer-name", "é"];

    private static Gen<VersionVector> Vector =>
        from entries in Gen.SubListOf(Ids)
        from counters in Gen.ArrayOf(Gen.Choose(1, int.MaxValue), entries.Count)
        select VersionVector.Create(entries.Select((id, i) => new Dot(id, counters[i] * 3L)));

    private static Gen<ReplicatedValue> Value => Gen.OneOf(
        from n in Gen.Choose(0, 1_000_000) select (ReplicatedValue)ReplicatedValue.Create(new MaxRegister(n)),
        from xs in Gen.ListOf(Gen.Choose(-50, 50)) select (ReplicatedValue)ReplicatedValue.Create(xs.Aggregate(GrowSet.Empty, (s, x) => s.Add(x, out _))),
        from n in Gen.Choose(1, 99) from id in Gen.Elements(Ids) select (ReplicatedValue)ReplicatedValue.Create(TestCounter.Empty.Increment(id, n, out _)),
        from keys in Gen.ListOf(Gen.Elements("k1", "k2", "ключ", "")) select (ReplicatedValue)ReplicatedValue.Create(keys.Aggregate(TestLWWMap.Empty, (m, k) => m.Put(k, "v" + k, 7, out _))));

    private static Gen<KeyValuePair<string, ReplicatedValue>[]> Entries =>
        from keys in Gen.SubListOf(new[] { "alpha", "beta", "", "日本", "z" })
        from values in Gen.ArrayOf(Value, keys.Count)
        select keys.Select((k, i) => new KeyValuePair<string, ReplicatedValue>(k, values[i])).ToArray();

    private static Gen<ReplicationMessage> Message =>
        from sender in Gen.Elements(Ids)
        from kind in Gen.Choose(0, 2)
        from v1 in Vector
        from v2 in Vector
        from entries in Entries
        select kind switch
        {
            0 => (ReplicationMessage)new DigestMessage(sender, v1),
            1 => new DeltaGroupMessage(sender, v1, v2, entries),
            _ => new FullStateMessage(sender, v1, entries),
        };

    [Fact]
    public void EncodeDecode_AnyMessage_RoundTripsExactly() =>
        PropertyCheck.ForAll(Message, message =>
        {
            byte[] bytes = Serializer.SerializeToBytes(message);
            ReplicationMessage decoded = Serializer.Deserialize(bytes);

            AssertSameMessage(message, decoded);
            Assert.Equal(bytes, Serializer.SerializeToBytes(decoded));
            Assert.Equal(bytes.Length, Serializer.GetSerializedSize(message));
        });

    [Fact]
    public void Encode_EqualMessagesBuiltInDifferentOrders_IdenticalBytes()
    {
        var one = new KeyValuePair<string, ReplicatedValue>("one", ReplicatedValue.Create(new MaxRegister(1)));
        var two = new KeyValuePair<string, ReplicatedValue>("two", ReplicatedValue.Create(new MaxRegister(2)));
        var vector = VersionVector.Create(new Dot("b", 4), new Dot("a", 2));

        byte[] first = Serializer.SerializeToBytes(new FullStateMessage("c", vector, [one, two]));
        byte[] second = Serializer.SerializeToBytes(new FullStateMessage("c", VersionVector.Create(new Dot("a", 2), new Dot("b", 4)), [two, one]));

        Assert.Equal(first, second);
    }

    [Fact]
    public void EncodeDecode_Snapshot_RoundTrips()
    {
        var replicator = new DeltaReplicator("a");
        replicator.Define("m", new MaxRegister(5));
        replicator.Define("g", GrowSet.Empty.Add(3, out _));
        ReplicatorSnapshot snapshot = replicator.CreateSnapshot();

        ReplicatorSnapshot decoded = Serializer.DeserializeSnapshot(Serializer.SerializeToBytes(snapshot));

        Assert.Equal(snapshot.Replica, decoded.Replica);
        Assert.Equal(snapshot.Vector, decoded.Vector);
        Assert.Equal(snapshot.Values.ToArray(), decoded.Values.ToArray());
        Assert.Throws<CrdtFormatException>(() => Serializer.Deserialize(Serializer.SerializeToBytes(snapshot)));
    }

    [Fact]
    public void Encode_UnregisteredType_ThrowsArgumentException()
    {
        var serializer = new ReplicationSerializer([TestFormats.Max]);
        var message = new FullStateMessage("a", VersionVector.Empty, [new("g", ReplicatedValue.Create(GrowSet.Empty))]);

        Assert.Throws<ArgumentException>(() => serializer.SerializeToBytes(message));
    }

    [Fact]
    public void Constructor_SameTypeTwice_Throws() =>
        Assert.Throws<ArgumentException>(() => new ReplicationSerializer([TestFormats.Max, TestFormats.Max]));

    [Fact]
    public void Decode_Malformed_ThrowsFormatException()
    {
        byte[] valid = Serializer.SerializeToBytes(new FullStateMessage("a", VersionVector.Create(new Dot("a", 3)), [new("k", ReplicatedValue.Create(new MaxRegister(9)))]));
        byte[] snapshot = Serializer.SerializeToBytes(new ReplicatorSnapshot("a", VersionVector.Empty, []));

        Assert.Throws<CrdtFormatException>(() => Serializer.Deserialize([]));
        Assert.Throws<CrdtFormatException>(() => Serializer.Deserialize(valid[..^1]));
        Assert.Throws<CrdtFormatException>(() => Serializer.Deserialize([.. valid, 0]));
        Assert.Throws<CrdtFormatException>(() => Serializer.Deserialize(snapshot));
        Assert.Throws<CrdtFormatException>(() => new ReplicationSerializer([TestFormats.Grow]).Deserialize(valid));
    }

    [Fact]
    public void Decode_MutatedEncodings_OnlyEverThrowsCrdtFormatException()
    {
        var random = new Random(20261122);
        ReplicationMessage[] samples = Gen.Sample(Message, 40, 40).ToArray();
        int decodedCount = 0;
        for (int i = 0; i < 10_000; i++)
        {
            byte[] bytes = Serializer.SerializeToBytes(samples[i % samples.Length]);
            byte[] mutated = Mutate(bytes, random);
            try
            {
                Serializer.Deserialize(mutated);
                decodedCount++;
            }
            catch (CrdtFormatException)
            {
            }
        }

        Assert.True(decodedCount < 10_000, "Some mutations must be rejected.");
    }

    private static byte[] Mutate(byte[] bytes, Random random)
    {
        byte[] copy = (byte[])bytes.Clone();
        switch (random.Next(4))
        {
            case 0 when copy.Length > 0:
                copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                return copy;
            case 1:
                return copy[..random.Next(copy.Length + 1)];
            case 2 when copy.Length > 0:
                copy[random.Next(copy.Length)] = (byte)random.Next(256);
                return copy;
            default:
                int at = random.Next(copy.Length + 1);
                byte[] junk = new byte[random.Next(1, 6)];
                random.NextBytes(junk);
                return [.. copy[..at], .. junk, .. copy[at..]];
        }
    }

    private static void AssertSameMessage(ReplicationMessage expected, ReplicationMessage actual)
    {
        Assert.Equal(expected.GetType(), actual.GetType());
        Assert.Equal(expected.Sender, actual.Sender);
        switch (expected)
        {
            case DigestMessage d:
                Assert.Equal(d.Vector, ((DigestMessage)actual).Vector);
                break;
            case DeltaGroupMessage g:
                var ag = (DeltaGroupMessage)actual;
                Assert.Equal(g.Base, ag.Base);
                Assert.Equal(g.Top, ag.Top);
                Assert.Equal(g.Deltas.ToArray(), ag.Deltas.ToArray());
                break;
            case FullStateMessage f:
                var af = (FullStateMessage)actual;
                Assert.Equal(f.Vector, af.Vector);
                Assert.Equal(f.Values.ToArray(), af.Values.ToArray());
                break;
        }
    }
}
