using System;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Text.Internal;

/// <summary>A bounds-checked reader of bytes and LEB128 variable-length integers; every failure is a <see cref="CrdtFormatException"/>.</summary>
internal ref struct ByteReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ByteReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw new CrdtFormatException("The update ends unexpectedly.", _position);
        }

        return _data[_position++];
    }

    /// <summary>Reads an unsigned LEB128 integer of at most 31 bits (at most 5 bytes, no overlong encodings beyond that).</summary>
    public int ReadCount(string what)
    {
        int start = _position;
        ulong result = 0;
        for (int shift = 0; shift <= 28; shift += 7)
        {
            byte b = ReadByte();
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (result > int.MaxValue)
                {
                    throw new CrdtFormatException($"The {what} is larger than {int.MaxValue}.", start);
                }

                return (int)result;
            }
        }

        throw new CrdtFormatException($"The {what} is not a valid variable-length integer (more than 5 bytes).", start);
    }

    /// <summary>Reads a count that is at most the number of remaining bytes divided by <paramref name="minBytesPerEntry"/>.</summary>
    public int ReadBoundedCount(string what, int minBytesPerEntry)
    {
        int start = _position;
        int count = ReadCount(what);
        if (count > Remaining / minBytesPerEntry)
        {
            throw new CrdtFormatException($"The {what} ({count}) exceeds what the remaining {Remaining} bytes can hold.", start);
        }

        return count;
    }

    public ReadOnlySpan<byte> ReadBytes(int length)
    {
        if (length > Remaining)
        {
            throw new CrdtFormatException("The update ends unexpectedly.", _position);
        }

        ReadOnlySpan<byte> slice = _data.Slice(_position, length);
        _position += length;
        return slice;
    }

    public readonly void ExpectEnd()
    {
        if (_position != _data.Length)
        {
            throw new CrdtFormatException($"The update has {Remaining} unexpected trailing bytes.", _position);
        }
    }
}
