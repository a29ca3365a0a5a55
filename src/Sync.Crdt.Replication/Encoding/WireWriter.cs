using System;
using System.Buffers;

namespace Sync.Crdt.Replication.Encoding;

/// <summary>Appends the protocol's primitives (bytes, LEB128 varints, length-prefixed UTF-8) to a buffer writer.</summary>
internal readonly struct WireWriter
{
    private readonly IBufferWriter<byte> _output;

    public WireWriter(IBufferWriter<byte> output) => _output = output;

    public void WriteByte(byte value)
    {
        Span<byte> span = _output.GetSpan(1);
        span[0] = value;
        _output.Advance(1);
    }

    public void WriteVarint(ulong value)
    {
        Span<byte> span = _output.GetSpan(10);
        int n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        _output.Advance(n);
    }

    public void WriteString(string value)
    {
        int length = System.Text.Encoding.UTF8.GetByteCount(value);
        WriteVarint((ulong)length);
        Span<byte> span = _output.GetSpan(length);
        System.Text.Encoding.UTF8.GetBytes(value, span);
        _output.Advance(length);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        WriteVarint((ulong)bytes.Length);
        _output.Write(bytes);
    }
}
