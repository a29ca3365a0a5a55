using System;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication.Encoding;

/// <summary>
/// Sizes of serialized replication messages without building them. A digest is measured by walking it: the header, the
/// replica table and the body are summed from the primitives' sizes (docs/wire-format.md), interning replicas in
/// the order the encoder does. Messages that carry CRDT values are measured by
/// <c>CrdtSerializer.GetSerializedSize</c>, which runs the codecs against a measuring writer.
/// </summary>
internal static class SerializedSize
{
    public static int Of(DigestMessage digest)
    {
        ReplicaId sender = digest.Sender;
        long table = ReplicaEntry(sender);
        long body = 1 + 1; // kind, sender index 0
        int replicas = 1;
        long entries = 0;
        foreach (Dot entry in digest.Vector)
        {
            int index;
            if (entry.Replica == sender)
            {
                index = 0;
            }
            else
            {
                index = replicas++;
                table += ReplicaEntry(entry.Replica);
            }

            entries += Varint((ulong)index) + Varint((ulong)entry.Counter);
        }

        body += Varint((ulong)digest.Vector.Count) + entries;
        long total = Header() + Varint((ulong)replicas) + table + body;
        return checked((int)total);
    }

    private static int Header() =>
        3 + Varint((ulong)Varint((ulong)ReplicationSerializer.MessageTypeTag)) + Varint((ulong)ReplicationSerializer.MessageTypeTag);

    private static int ReplicaEntry(ReplicaId replica)
    {
        int bytes = System.Text.Encoding.UTF8.GetByteCount(replica.Value);
        return Varint((ulong)bytes) + bytes;
    }

    private static int Varint(ulong value)
    {
        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }
}
