using System;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>
/// The bodies of the causality types, shared by their codecs and by the CRDT codecs that embed them. Readers
/// accept only the canonical form (see docs/wire-format.md) and reject everything else.
/// </summary>
internal static class CausalityEncoding
{
    public static void WriteTimestamp(CrdtWriter writer, LWWTimestamp value) =>
        writer.WriteVarUInt64Pair((ulong)value.Time, (uint)writer.InternReplica(value.Replica));

    public static LWWTimestamp ReadTimestamp(ref CrdtReader reader)
    {
        long time = (long)reader.ReadVarUInt64(long.MaxValue, "A timestamp's time");
        return new LWWTimestamp(time, reader.ReadReplica());
    }

    public static void WriteVector(CrdtWriter writer, VersionVector vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        int count = vector.Count;
        writer.WriteCount(count);
        if (count > 1 && writer.ReplicaTableIsEmpty)
        {
            // The vector starts the message: its (sorted, distinct) replicas are the table's first entries, in order.
            writer.AppendDistinctReplicas(vector.ReplicaSpan);
            ReadOnlySpan<long> counters = vector.CounterSpan;
            for (int i = 0; i < counters.Length; i++)
            {
                writer.WriteVarUInt64Pair((uint)i, (ulong)counters[i]);
            }

            return;
        }

        if (count > 1 && writer.ReplicaTableIsSorted)
        {
            // The table is one sorted run (an earlier vector): merge-join it with this sorted vector.
            ReadOnlySpan<ReplicaId> table = writer.ReplicaTable;
            int p = 0;
            for (int i = 0; i < count; i++)
            {
                ReplicaId replica = vector.ReplicaAt(i);
                string id = replica.Value;

                // One ordinal comparison per step (the table's ids and these are usually other instances, so an
                // equality test first would only repeat the scan).
                int order = 1;
                while (p < table.Length && (order = string.CompareOrdinal(table[p].Value, id)) < 0)
                {
                    p++;
                }

                int index = order == 0 ? p : writer.AppendNewReplica(replica);
                writer.WriteVarUInt64Pair((uint)index, (ulong)vector.CounterAt(i));
            }

            return;
        }

        for (int i = 0; i < count; i++)
        {
            writer.WriteVarUInt64Pair((uint)writer.InternReplica(vector.ReplicaAt(i)), (ulong)vector.CounterAt(i));
        }
    }

    public static VersionVector ReadVector(ref CrdtReader reader)
    {
        int count = reader.ReadCount(minimumBytesPerElement: 2);
        if (count == 0)
        {
            return VersionVector.Empty;
        }

        if (count == 1)
        {
            // One entry (a nested counter written by one replica): its counters array may be shared.
            ReplicaId only = reader.ReadReplica(out _);
            return VersionVector.SingleUnchecked(only, reader.ReadCounter());
        }

        var replicas = new ReplicaId[count];
        var counters = new long[count];
        bool byIndex = reader.TableAscending;
        int previousIndex = -1;
        for (int i = 0; i < count; i++)
        {
            int start = reader.Position;
            ReplicaId replica = reader.ReadReplica(out int index);

            // With the table in ascending order, table indices order like the ids they stand for.
            if (i > 0 && (byIndex ? index <= previousIndex : replica.CompareTo(replicas[i - 1]) <= 0))
            {
                throw CrdtReader.Error($"Version vector entries must be in strictly ascending replica order; '{replica}' follows '{replicas[i - 1]}'.", start);
            }

            previousIndex = index;
            replicas[i] = replica;
            counters[i] = reader.ReadCounter();
        }

        return VersionVector.FromSortedUnchecked(replicas, counters);
    }

    public static void WriteContext(CrdtWriter writer, CausalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        WriteVector(writer, context.VersionVector);
        ReadOnlySpan<Dot> cloud = context.DotCloud;
        writer.WriteCount(cloud.Length);
        foreach (Dot dot in cloud)
        {
            writer.WriteVarUInt64Pair((uint)writer.InternReplica(dot.Replica), (ulong)dot.Counter);
        }
    }

    public static CausalContext ReadContext(ref CrdtReader reader)
    {
        VersionVector vector = ReadVector(ref reader);
        int count = reader.ReadCount(minimumBytesPerElement: 2);
        if (count == 0)
        {
            return CausalContext.Create(vector);
        }

        var cloud = new Dot[count];
        for (int i = 0; i < count; i++)
        {
            int start = reader.Position;
            ReplicaId replica = reader.ReadReplica();
            long counter = reader.ReadCounter();
            var dot = new Dot(replica, counter, trusted: true);
            if (i > 0 && dot.CompareTo(cloud[i - 1]) <= 0)
            {
                throw CrdtReader.Error($"Dot cloud entries must be in strictly ascending order; {dot} follows {cloud[i - 1]}.", start);
            }

            if (counter - 1 <= vector[replica])
            {
                throw CrdtReader.Error($"Dot cloud entry {dot} is covered by or contiguous with the version vector ({replica}:{vector[replica]}); a canonical context holds it in the vector.", start);
            }

            cloud[i] = dot;
        }

        return CausalContext.Normalize(vector, cloud);
    }
}
