using System;
using System.Text;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Protocol.Encoding;

/// <summary>Writes protocol primitives into a span sized exactly by the matching size functions.</summary>
internal ref struct SpanWriter
{
    private readonly Span<byte> _data;
    private int _position;

    public SpanWriter(Span<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Position => _position;

    public static int VarintSize(long value) => Varint.GetSize((ulong)value);

    public static int BytesSize(int length) => Varint.GetSize((ulong)length) + length;

    public static int StringSize(string value) => BytesSize(System.Text.Encoding.UTF8.GetByteCount(value));

    public static int ReplicaSize(ReplicaId replica) => replica.IsDefault ? 1 : StringSize(replica.Value);

    public void WriteByte(byte value) => _data[_position++] = value;

    public void WriteVarint(long value) => _position += Varint.Write(_data[_position..], (ulong)value);

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteVarint(bytes.Length);
        bytes.CopyTo(_data[_position..]);
        _position += bytes.Length;
    }

    public void WriteString(string value)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteVarint(length);
        _position += System.Text.Encoding.UTF8.GetBytes(value, _data[_position..]);
    }

    public void WriteReplica(ReplicaId replica)
    {
        if (replica.IsDefault)
        {
            WriteVarint(0);
        }
        else
        {
            WriteString(replica.Value);
        }
    }
}
