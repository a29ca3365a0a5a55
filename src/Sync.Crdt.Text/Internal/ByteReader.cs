using System;
using System.Buffers;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Text.Internal;

/// <summary>
/// A bounds-checked reader of bytes and canonical LEB128 integers (<see cref="Varint"/>) for the text formats; every
/// failure is a <see cref="CrdtFormatException"/> with the offset where the offending value starts.
/// </summary>
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

    /// <summary>Reads a minimal unsigned varint of at most <see cref="int.MaxValue"/>.</summary>
    public int ReadCount(string what)
    {
        int start = _position;
        if (start < _data.Length && _data[start] < 0x80)
        {
            _position = start + 1;
            return _data[start];
        }

        OperationStatus status = Varint.TryRead(_data[start..], out ulong value, out int consumed);
        if (status == OperationStatus.NeedMoreData)
        {
            throw new CrdtFormatException("The update ends unexpectedly.", start);
        }

        if (status != OperationStatus.Done)
        {
            throw new CrdtFormatException($"The {what} is not a canonical variable-length integer (overlong, or above 64 bits).", start);
        }

        if (value > int.MaxValue)
        {
            throw new CrdtFormatException($"The {what} ({value}) is larger than {int.MaxValue}.", start);
        }

        _position = start + consumed;
        return (int)value;
    }

    /// <summary>Reads a count that is at most the number of remaining bytes divided by <paramref name="minBytesPerEntry"/>, so that
    /// the caller may allocate that many entries.</summary>
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
