using System;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Text.Internal;

/// <summary>An append-only byte buffer with LEB128 variable-length integers (<see cref="Varint"/>).</summary>
internal sealed class ByteWriter
{
    private byte[] _buffer;
    private int _length;

    public ByteWriter(int capacity)
    {
        _buffer = new byte[Math.Max(capacity, 16)];
    }

    public int Length => _length;

    /// <summary>Forgets the written bytes, keeping the buffer for reuse.</summary>
    public void Reset() => _length = 0;

    public void WriteByte(byte value)
    {
        if (_length == _buffer.Length)
        {
            Grow(1);
        }

        _buffer[_length++] = value;
    }

    public void WriteCount(int value)
    {
        if (_buffer.Length - _length < 5)
        {
            Grow(5);
        }

        _length += Varint.Write(_buffer.AsSpan(_length), (uint)value);
    }

    public Span<byte> GetSpan(int size)
    {
        if (_buffer.Length - _length < size)
        {
            Grow(size);
        }

        return _buffer.AsSpan(_length, size);
    }

    public void Advance(int count) => _length += count;

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    private void Grow(int needed)
    {
        int size = Math.Max(_buffer.Length * 2, _length + needed);
        Array.Resize(ref _buffer, size);
    }
}
