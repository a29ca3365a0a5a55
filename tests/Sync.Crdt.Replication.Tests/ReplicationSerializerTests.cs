using System;
using System.Buffers;
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
        from xs in Gen.ListOf(Gen.Choose(0, 5)) from id in Gen.Elements(Ids) select (ReplicatedValue)ReplicatedValue.Create(xs.Aggregate(TestORSet.Empty, (s, x) => x % 2 == 0 ? s.Add(id, x, out _, out _) : s.Remove(x - 1, out _, out _))),
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
    public void Deserialize_SequenceSplitAtEveryByteBoundary_GivesTheSameMessage()
    {
        ReplicationMessage[] samples =
        [
            new DigestMessage("a", VersionVector.Create(new Dot("b", 3), new Dot("é", 300))),
            new DeltaGroupMessage("b", VersionVector.Create(new Dot("a", 1)), VersionVector.Create(new Dot("a", 2)), [new("k", ReplicatedValue.Create(new MaxRegister(-9)))]),
            new FullStateMessage("c", VersionVector.Create(new Dot("c", 1)), [new("g", ReplicatedValue.Create(GrowSet.Empty.Add(1, out _).Add(200, out _)))]),
        ];
        int checkedSplits = 0;
        foreach (ReplicationMessage message in samples)
        {
            byte[] bytes = Serializer.SerializeToBytes(message);
            Assert.True(bytes.Length < 64, $"keep the samples small: {bytes.Length} bytes");
            for (int i = 0; i <= bytes.Length; i++)
            {
                for (int j = i; j <= bytes.Length; j++)
                {
                    ReadOnlySequence<byte> split = Segments.Of(bytes[..i], bytes[i..j], bytes[j..]);
                    Assert.Equal(bytes, Serializer.SerializeToBytes(Serializer.Deserialize(split)));
                    checkedSplits++;
                }
            }

            Assert.Equal(bytes, Serializer.SerializeToBytes(Serializer.Deserialize(Segments.Split(bytes, 1))));
        }

        Assert.True(checkedSplits > 800, $"{checkedSplits} splits");
    }

    [Fact]
    public void Deserialize_Sequence_TruncatedOrOversized_ThrowsFormatException()
    {
        byte[] bytes = Serializer.SerializeToBytes(new DigestMessage("a", VersionVector.Create(new Dot("b", 3), new Dot("c", 4), new Dot("d", 5))));
        var tight = new ReplicationSerializer(TestFormats.All, new CrdtSerializerOptions { MaxMessageBytes = bytes.Length - 1 });

        Assert.Throws<CrdtFormatException>(() => Serializer.Deserialize(Segments.Of(bytes[..3], bytes[3..^1])));
        Assert.Throws<CrdtFormatException>(() => Serializer.Deserialize(Segments.Of(bytes[..3], bytes[3..], new byte[] { 0 })));
        Assert.Throws<CrdtFormatException>(() => tight.Deserialize(Segments.Of(bytes[..3], bytes[3..])));
        Assert.Throws<CrdtFormatException>(() => Serializer.Deserialize(ReadOnlySequence<byte>.Empty));
    }

    [Fact]
    public void GetSerializedSize_BigMessagesOfEveryShape_EqualsSerializedLength()
    {
        // 300 replicas: table indices from 128 on take two bytes; 200-byte names take a two-byte length.
        ReplicaId[] many = Enumerable.Range(0, 300)
            .Select(i => new ReplicaId(i % 3 == 0 ? new string('r', 200) + i : i % 3 == 1 ? "é-" + i : "n" + i))
            .ToArray();
        VersionVector wide = VersionVector.Create(many.Select((id, i) => new Dot(id, i == 7 ? long.MaxValue : (i * 977L) + 1)));
        VersionVector narrow = VersionVector.Create(new Dot(many[250], 5));
        TestCounter counter = many.Aggregate(TestCounter.Empty, (c, id) => c.Increment(id, 3, out _));
        TestORSet set = many.Take(200).Aggregate(TestORSet.Empty, (s, id) => s.Add(id, id.Value.Length % 17, out _, out _));
        TestLWWMap map = Enumerable.Range(0, 20_000).Aggregate(TestLWWMap.Empty, (m, i) => m.Put("key" + i, new string('v', i % 50), i, out _));
        KeyValuePair<string, ReplicatedValue>[] values =
        [
            new("counter", ReplicatedValue.Create(counter)),
            new("map", ReplicatedValue.Create(map)),
            new("set", ReplicatedValue.Create(set)),
            new(new string('k', 300), ReplicatedValue.Create(new MaxRegister(long.MinValue))),
        ];
        ReplicationMessage[] messages =
        [
            new DigestMessage(many[299], wide),            // sender inside the vector, late in it
            new DigestMessage("outsider", wide),           // sender outside the vector
            new DigestMessage(many[0], VersionVector.Empty),
            new DigestMessage(new ReplicaId(new string('x', 130)), narrow),
            new DeltaGroupMessage(many[5], narrow, wide, values),
            new DeltaGroupMessage("s", VersionVector.Empty, narrow, []),
            new FullStateMessage(many[140], wide, values),
            new FullStateMessage("s", VersionVector.Empty, []),
        ];

        foreach (ReplicationMessage message in messages)
        {
            Assert.Equal(Serializer.SerializeToBytes(message).Length, Serializer.GetSerializedSize(message));
        }

        Assert.True(Serializer.GetSerializedSize(messages[6]) > 500_000);
    }

    [Fact]
    public void GetSerializedSize_BeyondTheLimit_ThrowsLikeSerialize()
    {
        var digest = new DigestMessage("a", VersionVector.Create(Enumerable.Range(0, 20).Select(i => new Dot("replica" + i, 1))));
        var tight = new ReplicationSerializer(TestFormats.All, new CrdtSerializerOptions { MaxMessageBytes = Serializer.GetSerializedSize(digest) - 1 });
        var full = new FullStateMessage("a", VersionVector.Empty, [new("k", ReplicatedValue.Create(GrowSet.Empty.Add(1, out _)))]);

        Assert.Throws<ArgumentException>(() => tight.SerializeToBytes(digest));
        Assert.Throws<ArgumentException>(() => tight.GetSerializedSize(digest));
        Assert.Throws<ArgumentException>(() => new ReplicationSerializer([TestFormats.Max]).GetSerializedSize(full));
        Assert.Throws<ArgumentNullException>(() => Serializer.GetSerializedSize(null!));
    }

    [Fact]
    public void SerializeDeserialize_LogEntry_RoundTrips_AndInvalidEntriesAreRejected()
    {
        var from = VersionVector.Create(new Dot("a", 2));
        var to = VersionVector.Create(new Dot("a", 2), new Dot("b", 1));
        var entry = new DeltaLogEntry(from, to, [new("m", ReplicatedValue.Create(new MaxRegister(5))), new("g", ReplicatedValue.Create(GrowSet.Empty.Add(3, out _)))]);

        byte[] bytes = Serializer.SerializeToBytes(entry);
        DeltaLogEntry decoded = Serializer.DeserializeLogEntry(bytes);

        Assert.Equal(entry.From, decoded.From);
        Assert.Equal(entry.To, decoded.To);
        Assert.Equal(entry.Deltas.ToArray(), decoded.Deltas.ToArray());
        Assert.Equal(bytes, Serializer.SerializeToBytes(decoded));
        Assert.Throws<CrdtFormatException>(() => Serializer.Deserialize(bytes));
        Assert.Throws<CrdtFormatException>(() => Serializer.DeserializeLogEntry(Serializer.SerializeToBytes(new DigestMessage("a", from))));
        Assert.Throws<ArgumentNullException>(() => Serializer.SerializeToBytes((DeltaLogEntry)null!));
        Assert.Throws<ArgumentException>(() => new ReplicationSerializer([TestFormats.Max]).SerializeToBytes(entry));

        // An entry whose To does not dominate its From: swap the two vectors in the encoding.
        var backwards = new DeltaLogEntry(VersionVector.Empty, from, []);
        byte[] swapped = Serializer.SerializeToBytes(backwards);
        int vectorsAt = swapped.Length - 1 - 4; // ... 00 (from: empty) 01 00 02 (to: a:2) 00 (no values)
        Assert.Equal([0x00, 0x01, 0x00, 0x02, 0x00], swapped[vectorsAt..]);
        byte[] corrupt = [.. swapped[..vectorsAt], 0x01, 0x00, 0x02, 0x00, 0x00];
        CrdtFormatException error = Assert.Throws<CrdtFormatException>(() => Serializer.DeserializeLogEntry(corrupt));
        Assert.Contains("strictly dominate", error.Message, StringComparison.Ordinal);
    }

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
        replicator.Define(new ReplicatedKey<MaxRegister>("m"), new MaxRegister(5));
        replicator.Define(new ReplicatedKey<GrowSet>("g"), GrowSet.Empty.Add(3, out _));
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
