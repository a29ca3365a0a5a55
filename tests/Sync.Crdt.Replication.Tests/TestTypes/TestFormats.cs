using System;
using System.Buffers;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication.Encoding;

namespace Sync.Crdt.Replication.Tests.TestTypes;

/// <summary>Binary formats for the test-only CRDTs (BinaryWriter layout: 7-bit counts, length-prefixed strings).</summary>
public static class TestFormats
{
    public static ReplicatedValueFormat Counter { get; } = ReplicatedValueFormat.Create<TestCounter>(
        1,
        (value, output) => Write(output, w =>
        {
            w.Write7BitEncodedInt(value.Entries.Count);
            foreach (var (replica, count) in value.Entries)
            {
                w.Write(replica.Value);
                w.Write7BitEncodedInt64(count);
            }
        }),
        data => Read(data, r =>
        {
            TestCounter counter = TestCounter.Empty;
            int count = r.Read7BitEncodedInt();
            for (int i = 0; i < count; i++)
            {
                counter = counter.Merge(TestCounter.Empty.Increment(new ReplicaId(r.ReadString()), r.Read7BitEncodedInt64(), out _));
            }

            return counter;
        }));

    public static ReplicatedValueFormat Max { get; } = ReplicatedValueFormat.Create<MaxRegister>(
        2,
        (value, output) => Write(output, w => w.Write7BitEncodedInt64(value.Value)),
        data => Read(data, r => new MaxRegister(r.Read7BitEncodedInt64())));

    public static ReplicatedValueFormat Grow { get; } = ReplicatedValueFormat.Create<GrowSet>(
        3,
        (value, output) => Write(output, w =>
        {
            w.Write7BitEncodedInt(value.Elements.Count);
            foreach (int e in value.Elements)
            {
                w.Write(e);
            }
        }),
        data => Read(data, r =>
        {
            int count = r.Read7BitEncodedInt();
            var builder = ImmutableSortedSet.CreateBuilder<int>();
            for (int i = 0; i < count; i++)
            {
                builder.Add(r.ReadInt32());
            }

            return new GrowSet(builder.ToImmutable());
        }));

    public static ReplicatedValueFormat LwwMap { get; } = ReplicatedValueFormat.Create<TestLwwMap>(
        4,
        (value, output) => Write(output, w =>
        {
            w.Write7BitEncodedInt(value.Entries.Count);
            foreach (var (key, entry) in value.Entries)
            {
                w.Write(key);
                w.Write7BitEncodedInt64(entry.Time);
                w.Write(entry.Value);
            }
        }),
        data => Read(data, r =>
        {
            int count = r.Read7BitEncodedInt();
            var builder = ImmutableSortedDictionary.CreateBuilder<string, (long, string)>(StringComparer.Ordinal);
            for (int i = 0; i < count; i++)
            {
                builder[r.ReadString()] = (r.Read7BitEncodedInt64(), r.ReadString());
            }

            return new TestLwwMap(builder.ToImmutable());
        }));

    public static IReadOnlyList<ReplicatedValueFormat> All { get; } = [Counter, Max, Grow, LwwMap];

    private static void Write(IBufferWriter<byte> output, Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            write(writer);
        }

        output.Write(stream.ToArray());
    }

    private static T Read<T>(ReadOnlySpan<byte> data, Func<BinaryReader, T> read)
    {
        using var reader = new BinaryReader(new MemoryStream(data.ToArray()));
        try
        {
            T value = read(reader);
            if (reader.BaseStream.Position != reader.BaseStream.Length)
            {
                throw new CrdtFormatException("Trailing bytes in test value.");
            }

            return value;
        }
        catch (IOException ex)
        {
            throw new CrdtFormatException("Truncated or corrupt test value.", ex);
        }
    }
}
