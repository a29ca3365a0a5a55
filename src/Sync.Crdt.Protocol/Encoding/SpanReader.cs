using System;
using System.Buffers;
using System.Text;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Protocol.Encoding;

/// <summary>Reads protocol primitives from a span; every length is checked against the remaining bytes before anything
/// is allocated, and every problem is a <see cref="SyncProtocolException"/> with the byte offset.</summary>
internal ref struct SpanReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly ReadOnlySpan<byte> _data;
    private readonly SyncErrorCode _code;
    private int _position;

    public SpanReader(ReadOnlySpan<byte> data, SyncErrorCode code = SyncErrorCode.MalformedFrame)
    {
        _data = data;
        _code = code;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw Fail("ends before a byte");
        }

        return _data[_position++];
    }

    public ulong ReadVarint()
    {
        OperationStatus status = Varint.TryRead(_data[_position..], out ulong value, out int consumed);
        if (status != OperationStatus.Done)
        {
            throw Fail(status == OperationStatus.NeedMoreData ? "ends inside a varint" : "has a non-minimal or oversized varint");
        }

        _position += consumed;
        return value;
    }

    public long ReadLong(long max = long.MaxValue)
    {
        int at = _position;
        ulong value = ReadVarint();
        if (value > (ulong)max)
        {
            throw new SyncProtocolException(_code, $"The frame has a number above {max} at byte {at}.");
        }

        return (long)value;
    }

    public int ReadInt(int max = int.MaxValue) => (int)ReadLong(max);

    public ReadOnlySpan<byte> ReadBytes()
    {
        int at = _position;
        ulong length = ReadVarint();
        if (length > (ulong)Remaining)
        {
            throw new SyncProtocolException(_code, $"The frame declares {length} bytes at byte {at}, but only {Remaining} remain.");
        }

        ReadOnlySpan<byte> bytes = _data.Slice(_position, (int)length);
        _position += (int)length;
        return bytes;
    }

    public string ReadString(int maxChars)
    {
        int at = _position;
        ReadOnlySpan<byte> bytes = ReadBytes();
        if (bytes.Length > maxChars * 3)
        {
            throw new SyncProtocolException(_code, $"The string at byte {at} is longer than {maxChars} characters.");
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new SyncProtocolException(_code, $"The string at byte {at} is not valid UTF-8.", e);
        }

        if (text.Length > maxChars)
        {
            throw new SyncProtocolException(_code, $"The string at byte {at} is longer than {maxChars} characters.");
        }

        return text;
    }

    public ReplicaId ReadReplica()
    {
        int at = _position;
        string value = ReadString(ReplicaId.MaxLength);
        if (!ReplicaId.TryParse(value, out ReplicaId replica))
        {
            throw new SyncProtocolException(_code, $"The replica id at byte {at} is invalid.");
        }

        return replica;
    }

    public readonly void ExpectEnd()
    {
        if (_position != _data.Length)
        {
            throw new SyncProtocolException(_code, $"The frame has {Remaining} trailing byte(s) at byte {_position}.");
        }
    }

    private readonly SyncProtocolException Fail(string what) =>
        new(_code, $"The frame {what} at byte {_position}.");
}
