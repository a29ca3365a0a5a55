using System;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Replication.Encoding;

/// <summary>Reads the protocol's primitives with bounds checks; every failure is a <see cref="CrdtFormatException"/> naming the offset.</summary>
internal ref struct WireReader
{
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public WireReader(ReadOnlySpan<byte> data)
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
            throw Fail("Unexpected end of data.");
        }

        return _data[_position++];
    }

    public ulong ReadVarint()
    {
        int start = _position;
        ulong value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            byte b = ReadByte();
            if (shift == 63 && b > 1)
            {
                throw new CrdtFormatException("Varint overflows 64 bits.", start);
            }

            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (b == 0 && shift > 0)
                {
                    throw new CrdtFormatException("Varint is not in its shortest form.", start);
                }

                return value;
            }
        }

        throw new CrdtFormatException("Varint longer than 10 bytes.", start);
    }

    /// <summary>Reads a count of items that each take at least <paramref name="minBytesPerItem"/> bytes, so a count can never exceed what the data holds.</summary>
    public int ReadCount(int minBytesPerItem)
    {
        int start = _position;
        ulong count = ReadVarint();
        if (count > (ulong)(Remaining / minBytesPerItem))
        {
            throw new CrdtFormatException($"Count {count} exceeds what the remaining {Remaining} bytes can hold.", start);
        }

        return (int)count;
    }

    public long ReadPositiveLong()
    {
        int start = _position;
        ulong value = ReadVarint();
        if (value == 0 || value > long.MaxValue)
        {
            throw new CrdtFormatException($"Expected a counter between 1 and {long.MaxValue}, found {value}.", start);
        }

        return (long)value;
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        int length = ReadCount(1);
        ReadOnlySpan<byte> slice = _data.Slice(_position, length);
        _position += length;
        return slice;
    }

    public string ReadString()
    {
        int start = _position;
        ReadOnlySpan<byte> bytes = ReadBytes();
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (ArgumentException ex)
        {
            throw new CrdtFormatException($"Invalid UTF-8 in a string at offset {start}.", ex);
        }
    }

    public readonly CrdtFormatException Fail(string message) => new(message, _position);
}
