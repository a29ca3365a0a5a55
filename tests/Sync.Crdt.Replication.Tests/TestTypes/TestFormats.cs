using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication.Encoding;

namespace Sync.Crdt.Replication.Tests.TestTypes;

/// <summary>Binary codecs (application tags 1024+) for the test-only CRDTs, written with the core encoding primitives.</summary>
public static class TestFormats
{
    public static ReplicatedValueFormat Counter { get; } = ReplicatedValueFormat.Create(new CounterCodec());

    public static ReplicatedValueFormat Max { get; } = ReplicatedValueFormat.Create(new MaxCodec());

    public static ReplicatedValueFormat Grow { get; } = ReplicatedValueFormat.Create(new GrowCodec());

    public static ReplicatedValueFormat LWWMap { get; } = ReplicatedValueFormat.Create(new LWWMapCodec());

    public static ReplicatedValueFormat ORSet { get; } = ReplicatedValueFormat.Create(new ORSetCodec());

    public static IReadOnlyList<ReplicatedValueFormat> All { get; } = [Counter, Max, Grow, LWWMap, ORSet];

    /// <summary>The formats of every type the tests replicate: the test-only types and the core types they use.</summary>
    public static IReadOnlyList<ReplicatedValueFormat> Everything { get; } =
    [
        .. All,
        ReplicatedValueFormat.Create(CrdtCodecs.GCounter),
        ReplicatedValueFormat.Create(CrdtCodecs.PNCounter),
        ReplicatedValueFormat.Create(CrdtCodecs.ORSet(CrdtCodecs.String)),
        ReplicatedValueFormat.Create(CrdtCodecs.ORSet(CrdtCodecs.Int32)),
        ReplicatedValueFormat.Create(CrdtCodecs.LWWMap(CrdtCodecs.String, CrdtCodecs.String)),
        ReplicatedValueFormat.Create(CrdtCodecs.LWWMap(CrdtCodecs.String, CrdtCodecs.Int64)),
        ReplicatedValueFormat.Create(CrdtCodecs.LWWMap(CrdtCodecs.Int32, CrdtCodecs.Int32)),
        ReplicatedValueFormat.Create(CrdtCodecs.MVRegister(CrdtCodecs.String)),
        ReplicatedValueFormat.Create(CrdtCodecs.MVRegister(CrdtCodecs.Int32)),
    ];

    /// <summary>A serializer for <see cref="Everything"/>.</summary>
    public static ReplicationSerializer Serializer { get; } = new(Everything);

    private sealed class CounterCodec : ICrdtValueCodec<TestCounter>
    {
        public int TypeTag => CrdtTypeTags.FirstApplicationTag;

        public IReadOnlyList<ICrdtCodec> TypeArguments => [];

        public void Encode(CrdtWriter writer, TestCounter value)
        {
            writer.WriteCount(value.Entries.Count);
            foreach (var (replica, count) in value.Entries)
            {
                writer.WriteReplica(replica);
                writer.WriteVarInt64(count);
            }
        }

        public TestCounter Decode(ref CrdtReader reader)
        {
            int count = reader.ReadCount(2);
            TestCounter counter = TestCounter.Empty;
            for (int i = 0; i < count; i++)
            {
                ReplicaId replica = reader.ReadReplica();
                counter = counter.Merge(TestCounter.Empty.Increment(replica, reader.ReadVarInt64(), out _));
            }

            return counter;
        }
    }

    private sealed class MaxCodec : ICrdtValueCodec<MaxRegister>
    {
        public int TypeTag => CrdtTypeTags.FirstApplicationTag + 1;

        public IReadOnlyList<ICrdtCodec> TypeArguments => [];

        public void Encode(CrdtWriter writer, MaxRegister value) => writer.WriteVarInt64(value.Value);

        public MaxRegister Decode(ref CrdtReader reader) => new(reader.ReadVarInt64());
    }

    private sealed class GrowCodec : ICrdtValueCodec<GrowSet>
    {
        public int TypeTag => CrdtTypeTags.FirstApplicationTag + 2;

        public IReadOnlyList<ICrdtCodec> TypeArguments => [];

        public void Encode(CrdtWriter writer, GrowSet value)
        {
            writer.WriteCount(value.Elements.Count);
            foreach (int element in value.Elements)
            {
                writer.WriteVarInt64(element);
            }
        }

        public GrowSet Decode(ref CrdtReader reader)
        {
            int count = reader.ReadCount(1);
            var builder = ImmutableSortedSet.CreateBuilder<int>();
            for (int i = 0; i < count; i++)
            {
                builder.Add((int)reader.ReadVarInt64(int.MinValue, int.MaxValue, "element"));
            }

            return new GrowSet(builder.ToImmutable());
        }
    }

    private sealed class ORSetCodec : ICrdtValueCodec<TestORSet>
    {
        public int TypeTag => CrdtTypeTags.FirstApplicationTag + 4;

        public IReadOnlyList<ICrdtCodec> TypeArguments => [];

        public void Encode(CrdtWriter writer, TestORSet value)
        {
            writer.Write(value.Context, CrdtCodecs.CausalContext);
            writer.WriteCount(value.Entries.Count);
            foreach (var (element, dots) in value.Entries)
            {
                writer.WriteVarInt64(element);
                writer.WriteCount(dots.Count);
                foreach (Dot dot in dots)
                {
                    writer.WriteReplica(dot.Replica);
                    writer.WriteVarUInt64((ulong)dot.Counter);
                }
            }
        }

        public TestORSet Decode(ref CrdtReader reader)
        {
            CausalContext context = reader.Read(CrdtCodecs.CausalContext);
            int count = reader.ReadCount(3);
            var entries = ImmutableSortedDictionary.CreateBuilder<int, ImmutableSortedSet<Dot>>();
            for (int i = 0; i < count; i++)
            {
                int element = (int)reader.ReadVarInt64(int.MinValue, int.MaxValue, "element");
                int dotCount = reader.ReadCount(2);
                var dots = ImmutableSortedSet.CreateBuilder<Dot>();
                for (int j = 0; j < dotCount; j++)
                {
                    dots.Add(new Dot(reader.ReadReplica(), reader.ReadCounter()));
                }

                entries[element] = dots.ToImmutable();
            }

            return TestORSet.FromParts(entries.ToImmutable(), context);
        }
    }

    private sealed class LWWMapCodec : ICrdtValueCodec<TestLWWMap>
    {
        public int TypeTag => CrdtTypeTags.FirstApplicationTag + 3;

        public IReadOnlyList<ICrdtCodec> TypeArguments => [];

        public void Encode(CrdtWriter writer, TestLWWMap value)
        {
            writer.WriteCount(value.Entries.Count);
            foreach (var (key, entry) in value.Entries)
            {
                writer.WriteString(key);
                writer.WriteVarInt64(entry.Time);
                writer.WriteString(entry.Value);
            }
        }

        public TestLWWMap Decode(ref CrdtReader reader)
        {
            int count = reader.ReadCount(3);
            var builder = ImmutableSortedDictionary.CreateBuilder<string, (long, string)>(StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                string key = reader.ReadString();
                long time = reader.ReadVarInt64();
                builder[key] = (time, reader.ReadString());
            }

            return new TestLWWMap(builder.ToImmutable());
        }
    }
}
