using System;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Text.Internal;

/// <summary>Writes bytes and LEB128 integers (<see cref="Varint"/>) into a caller-provided span that is known to be large enough.</summary>
internal ref struct SpanWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public SpanWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;

    public void WriteByte(byte value) => _buffer[_position++] = value;

    public void WriteCount(int value) => _position += Varint.Write(_buffer[_position..], (uint)value);

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer[_position..]);
        _position += bytes.Length;
    }

    public void WriteUtf8(ReadOnlySpan<char> text) => _position += System.Text.Encoding.UTF8.GetBytes(text, _buffer[_position..]);

    public readonly byte[] ToArray() => _buffer[.._position].ToArray();
}
