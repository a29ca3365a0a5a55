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

    public static IReadOnlyList<ReplicatedValueFormat> All { get; } = [Counter, Max, Grow, LWWMap];

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
