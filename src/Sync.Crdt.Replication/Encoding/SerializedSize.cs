using System;
using System.Buffers;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication.Encoding;

/// <summary>
/// Sizes of serialized replication messages without building them. A digest is measured by walking it: the header, the
/// replica table and the body are summed from the primitives' sizes (docs/wire-format.md), interning replicas in
/// the order the encoder does. Messages that carry CRDT values are measured by running their codecs into a pooled
/// scratch buffer (the value codecs offer no size walk), so no array of the message's size is allocated.
/// </summary>
internal static class SerializedSize
{
    [ThreadStatic]
    private static CountingBufferWriter? _counter;

    /// <summary>The size of a digest: header, replica table (sender first, then the vector's other replicas), kind, sender index, vector.</summary>
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

    /// <summary>Measures an encoding by letting <paramref name="encode"/> write it into a pooled scratch buffer.</summary>
    public static int Measure<TState>(TState state, Action<TState, IBufferWriter<byte>> encode)
    {
        CountingBufferWriter counter = _counter ?? new CountingBufferWriter();
        _counter = null;
        try
        {
            counter.Reset();
            encode(state, counter);
            return counter.Written;
        }
        finally
        {
            _counter = counter;
        }
    }

    /// <summary>Magic (2), format version (1), then the root type signature, length-prefixed: one tag.</summary>
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

    /// <summary>An <see cref="IBufferWriter{T}"/> that counts what is written into spans rented from the shared pool.</summary>
    private sealed class CountingBufferWriter : IBufferWriter<byte>
    {
        private byte[] _scratch = [];

        public int Written { get; private set; }

        public void Reset() => Written = 0;

        public Span<byte> GetSpan(int sizeHint = 0) => Rent(sizeHint);

        public Memory<byte> GetMemory(int sizeHint = 0) => Rent(sizeHint);

        public void Advance(int count)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count);
            Written = checked(Written + count);
            if (_scratch.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_scratch);
                _scratch = [];
            }
        }

        private byte[] Rent(int sizeHint)
        {
            if (_scratch.Length < Math.Max(sizeHint, 1))
            {
                if (_scratch.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(_scratch);
                }

                _scratch = ArrayPool<byte>.Shared.Rent(Math.Max(sizeHint, 256));
            }

            return _scratch;
        }
    }
}
