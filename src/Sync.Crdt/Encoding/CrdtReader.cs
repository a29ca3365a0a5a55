using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Encoding;

/// <summary>
/// Reads the body of one Sync.Crdt binary message: the primitives that <see cref="CrdtWriter"/> writes, each
/// validated against the remaining input and the limits of <see cref="CrdtSerializerOptions"/> before anything
/// is allocated.
/// </summary>
/// <remarks>
/// <para>Every method either returns a valid value and advances, or throws <see cref="CrdtFormatException"/>
/// with the byte offset (from the start of the message) where the problem was found. Varints must be minimal
/// (no redundant trailing zero groups) and fit their type; strings must be valid UTF-8; replica indices must
/// be in the table and first used in table order. Codecs report their own validation failures with
/// <see cref="Error(string)"/>.</para>
/// <para>A reader is a <see langword="ref struct"/> over the message bytes (no copy), passed by reference to
/// <see cref="ICrdtValueCodec{T}.Decode"/>; it is used by one thread for one message.</para>
/// </remarks>
[Mutable]
public ref struct CrdtReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private readonly CrdtSerializerOptions _options;
    private ReplicaId[] _replicas;
    private int _position;
    private int _nextUnusedReplica;
    private int _depth;
    private bool _tableAscending = true;

    internal CrdtReader(ReadOnlySpan<byte> data, CrdtSerializerOptions options)
    {
        _data = data;
        _options = options;
        _replicas = [];
    }

    /// <summary>Gets the options of the message being read (limits and codecs for nested values).</summary>
    public readonly CrdtSerializerOptions Options => _options;

    /// <summary>Gets the offset of the next byte to read, from the start of the message.</summary>
    public readonly int Position => _position;

    /// <summary>Gets the number of bytes left in the message.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Gets the number of replicas in the message's replica table.</summary>
    internal readonly int ReplicaCount => _replicas.Length;

    /// <summary>Gets the number of table entries referenced so far (they must be used in table order).</summary>
    internal readonly int ReplicasUsed => _nextUnusedReplica;

    /// <summary>Creates the exception for a problem at the current position; throw it.</summary>
    /// <param name="message">What is wrong.</param>
    /// <returns>The exception, with <see cref="Position"/> as its offset.</returns>
    public readonly CrdtFormatException Error(string message) => new(message, _position);

    /// <summary>Creates the exception for a problem at <paramref name="offset"/>; throw it.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="offset">The offset where the offending item starts.</param>
    /// <returns>The exception.</returns>
    public static CrdtFormatException Error(string message, int offset) => new(message, offset);

    /// <summary>Reads one raw byte.</summary>
    /// <returns>The byte.</returns>
    /// <exception cref="CrdtFormatException">The input ends.</exception>
    public byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw Error("Unexpected end of input: expected 1 more byte.");
        }

        return _data[_position++];
    }

    /// <summary>Reads <paramref name="count"/> raw bytes without copying.</summary>
    /// <param name="count">The number of bytes; not negative.</param>
    /// <returns>A view of the bytes, valid while the input is.</returns>
    /// <exception cref="CrdtFormatException">Fewer bytes remain, or <paramref name="count"/> is negative.</exception>
    public ReadOnlySpan<byte> ReadRawBytes(int count)
    {
        if ((uint)count > (uint)Remaining)
        {
            throw Error($"Unexpected end of input: expected {count} more bytes, {Remaining} remain.");
        }

        ReadOnlySpan<byte> bytes = _data.Slice(_position, count);
        _position += count;
        return bytes;
    }

    /// <summary>Reads a minimal unsigned LEB128 varint of at most 10 bytes.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="CrdtFormatException">The input ends inside the varint, the varint is not minimal, or it exceeds 64 bits.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ReadVarUInt64()
    {
        int position = _position;
        if (position < _data.Length)
        {
            byte first = _data[position];
            if (first < 0x80)
            {
                _position = position + 1;
                return first;
            }
        }

        return ReadVarUInt64Slow();
    }

    /// <summary>Reads a zigzag-encoded signed varint.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="CrdtFormatException">The varint is invalid (see <see cref="ReadVarUInt64()"/>).</exception>
    public long ReadVarInt64()
    {
        ulong zigzag = ReadVarUInt64();
        return (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
    }

    /// <summary>Reads an unsigned varint that must not exceed <paramref name="maximum"/>.</summary>
    /// <param name="maximum">The largest acceptable value.</param>
    /// <param name="what">What the value is, for the error message.</param>
    /// <returns>The value.</returns>
    /// <exception cref="CrdtFormatException">The varint is invalid or exceeds <paramref name="maximum"/>.</exception>
    public ulong ReadVarUInt64(ulong maximum, string what)
    {
        int start = _position;
        ulong value = ReadVarUInt64();
        if (value > maximum)
        {
            throw Error($"{what} {value} is out of range (at most {maximum}).", start);
        }

        return value;
    }

    /// <summary>Reads a signed (zigzag) varint that must lie in [<paramref name="minimum"/>, <paramref name="maximum"/>].</summary>
    /// <param name="minimum">The smallest acceptable value.</param>
    /// <param name="maximum">The largest acceptable value.</param>
    /// <param name="what">What the value is, for the error message.</param>
    /// <returns>The value.</returns>
    /// <exception cref="CrdtFormatException">The varint is invalid or out of range.</exception>
    public long ReadVarInt64(long minimum, long maximum, string what)
    {
        int start = _position;
        long value = ReadVarInt64();
        if (value < minimum || value > maximum)
        {
            throw Error($"{what} {value} is out of range [{minimum}, {maximum}].", start);
        }

        return value;
    }

    /// <summary>Reads a positive 64-bit counter (a dot or version-vector counter: 1 to <see cref="long.MaxValue"/>).</summary>
    /// <returns>The counter.</returns>
    /// <exception cref="CrdtFormatException">The counter is 0, too large or not a valid varint.</exception>
    public long ReadCounter()
    {
        int start = _position;
        ulong value = ReadVarUInt64();
        if (value == 0 || value > long.MaxValue)
        {
            throw Error($"A counter must be between 1 and {long.MaxValue}; found {value}.", start);
        }

        return (long)value;
    }

    /// <summary>
    /// Reads the element count of a collection, checked against <see cref="CrdtSerializerOptions.MaxElements"/>
    /// and against the remaining input (each element takes at least <paramref name="minimumBytesPerElement"/>
    /// bytes), so the caller may allocate that many elements safely.
    /// </summary>
    /// <param name="minimumBytesPerElement">The fewest bytes one element can take; at least 1.</param>
    /// <returns>The count.</returns>
    /// <exception cref="CrdtFormatException">The count exceeds a limit or the remaining input.</exception>
    public int ReadCount(int minimumBytesPerElement = 1)
    {
        int start = _position;
        ulong count = ReadVarUInt64();
        if (count > (ulong)_options.MaxElements)
        {
            throw Error($"A collection declares {count} elements, more than MaxElements ({_options.MaxElements}).", start);
        }

        if (count * (ulong)Math.Max(1, minimumBytesPerElement) > (ulong)Remaining)
        {
            throw Error($"A collection declares {count} elements but only {Remaining} bytes remain.", start);
        }

        return (int)count;
    }

    /// <summary>Reads a boolean: one byte, 0 or 1.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="CrdtFormatException">The byte is neither 0 nor 1, or the input ends.</exception>
    public bool ReadBoolean()
    {
        byte value = ReadByte();
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw Error($"A boolean must be 0 or 1; found {value}.", _position - 1),
        };
    }

    /// <summary>Reads an IEEE 754 binary64 (8 bytes little-endian); a NaN must be the canonical quiet NaN.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="CrdtFormatException">The input ends or the NaN is not canonical.</exception>
    public double ReadDouble()
    {
        int start = _position;
        long bits = BinaryPrimitives.ReadInt64LittleEndian(ReadRawBytes(8));
        double value = BitConverter.Int64BitsToDouble(bits);
        if (double.IsNaN(value) && bits != CrdtWriter.CanonicalNaNBits)
        {
            throw Error("A NaN must be written as the canonical quiet NaN 0x7FF8000000000000.", start);
        }

        return value;
    }

    /// <summary>Reads a GUID: 16 bytes in RFC 9562 (big-endian) order.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="CrdtFormatException">The input ends.</exception>
    public Guid ReadGuid() => new(ReadRawBytes(16), bigEndian: true);

    /// <summary>Reads a varint length (checked against <see cref="CrdtSerializerOptions.MaxStringBytes"/> and the remaining input) and that many bytes, without copying.</summary>
    /// <returns>A view of the bytes, valid while the input is.</returns>
    /// <exception cref="CrdtFormatException">The length exceeds a limit or the remaining input.</exception>
    public ReadOnlySpan<byte> ReadLengthPrefixedBytes()
    {
        int length = ReadLength();
        return ReadRawBytes(length);
    }

    /// <summary>Reads a varint byte length and that many bytes of strict UTF-8 (no overlong forms, surrogates or truncated sequences).</summary>
    /// <returns>The string.</returns>
    /// <exception cref="CrdtFormatException">The length exceeds a limit or the remaining input, or the bytes are not valid UTF-8.</exception>
    public string ReadString()
    {
        int length = ReadLength();
        int start = _position;
        ReadOnlySpan<byte> bytes = _data.Slice(start, length);
        _position = start + length;
        return DecodeUtf8(bytes, start);
    }

    /// <summary>
    /// Reads a replica id: a varint index into the message's replica table. Indices must be first used in
    /// table order (the first new replica referenced is entry 0, the next new one entry 1, …), which keeps
    /// every encoding canonical.
    /// </summary>
    /// <returns>The replica id.</returns>
    /// <exception cref="CrdtFormatException">The index is outside the table or out of first-use order.</exception>
    public ReplicaId ReadReplica() => ReadReplica(out _);

    /// <summary>
    /// Gets a value indicating whether the replica table is in strictly ascending ordinal order, so that comparing two
    /// table indices compares their replica ids.
    /// </summary>
    internal readonly bool TableAscending => _tableAscending;

    /// <summary>Gets the replica table read so far (entries below <see cref="ReplicasUsed"/> are set).</summary>
    internal readonly ReplicaId[] ReplicaTable => _replicas;

    /// <summary>Returns the replica table entry at <paramref name="index"/> (an index a read returned).</summary>
    internal readonly ReplicaId ReplicaAt(int index) => _replicas[index];

    /// <summary>Reads a replica reference and also returns its table index (cheap to hash, unlike the id).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ReplicaId ReadReplica(out int index)
    {
        int position = _position;
        if (position < _data.Length)
        {
            // One-byte index already in use: the common case, without the general checks.
            uint first = _data[position];
            if (first < 0x80 && first < (uint)_nextUnusedReplica)
            {
                _position = position + 1;
                index = (int)first;
                return _replicas[index];
            }
        }

        return ReadReplicaSlow(out index);
    }

    private ReplicaId ReadReplicaSlow(out int index)
    {
        int start = _position;
        ulong value = ReadVarUInt64();
        if (value < (ulong)_nextUnusedReplica)
        {
            index = (int)value;
            return _replicas[index];
        }

        if (value >= (ulong)_replicas.Length)
        {
            throw Error($"Replica index {value} is outside the replica table ({_replicas.Length} entries).", start);
        }

        if (value != (ulong)_nextUnusedReplica)
        {
            throw Error($"Replica index {value} is used before index {_nextUnusedReplica}; table entries must be first used in order.", start);
        }

        index = _nextUnusedReplica++;
        return _replicas[index];
    }

    /// <summary>Reads a nested value with <paramref name="codec"/>, counting one level of nesting.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="codec">The value's codec.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="codec"/> is <see langword="null"/>.</exception>
    /// <exception cref="CrdtFormatException">The value is invalid or nests deeper than <see cref="CrdtSerializerOptions.MaxDepth"/>.</exception>
    public T Read<T>(ICrdtValueCodec<T> codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        if (++_depth > _options.MaxDepth)
        {
            throw Error($"Values nest deeper than MaxDepth ({_options.MaxDepth}).");
        }

        T value = codec.Decode(ref this);
        _depth--;
        return value;
    }

    /// <summary>Reads a nested value with the codec the options resolve for <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <returns>The value.</returns>
    /// <exception cref="NotSupportedException">No codec exists for <typeparamref name="T"/>.</exception>
    /// <exception cref="CrdtFormatException">The value is invalid.</exception>
    public T Read<T>() => Read(_options.GetCodec<T>());

    /// <summary>Reads the replica table: a count, then that many distinct, valid replica id strings.</summary>
    internal void ReadReplicaTable()
    {
        // A replica entry takes at least 2 bytes (length and one UTF-8 byte).
        int count = ReadCount(minimumBytesPerElement: 2);
        if (count == 0)
        {
            return;
        }

        var replicas = new ReplicaId[count];

        // Distinctness: a table in ascending ordinal order (what a single vector or counter produces) is distinct by
        // construction; the first entry out of order switches to a hash set of every entry so far.
        HashSet<string>? seen = null;
        for (int i = 0; i < count; i++)
        {
            int start = _position;
            int length = ReadLength();
            if (length == 0 || length > 4 * ReplicaId.MaxLength)
            {
                throw Error($"A replica id must take 1 to {4 * ReplicaId.MaxLength} UTF-8 bytes; found {length}.", start);
            }

            int bytesAt = _position;
            string value = DecodeUtf8(ReadRawBytes(length), bytesAt);
            string? problem = ReplicaId.Validate(value);
            if (problem is not null)
            {
                throw Error(problem, start);
            }

            if (seen is null && i > 0 && string.CompareOrdinal(replicas[i - 1].Value, value) >= 0)
            {
                seen = new HashSet<string>(count, StringComparer.Ordinal);
                for (int j = 0; j < i; j++)
                {
                    seen.Add(replicas[j].Value);
                }
            }

            if (seen is not null && !seen.Add(value))
            {
                throw Error($"Replica '{value}' appears twice in the replica table.", start);
            }

            replicas[i] = new ReplicaId(value, trusted: true);
        }

        _tableAscending = seen is null;
        _replicas = replicas;
    }

    /// <summary>Decodes strict UTF-8 in one validating pass (overlong forms, surrogates and truncated sequences throw).</summary>
    private static string DecodeUtf8(ReadOnlySpan<byte> bytes, int start)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error("A string is not valid UTF-8.", start);
        }
    }

    private int ReadLength()
    {
        int start = _position;
        ulong length = ReadVarUInt64();
        if (length > (ulong)_options.MaxStringBytes)
        {
            throw Error($"A length of {length} bytes exceeds MaxStringBytes ({_options.MaxStringBytes}).", start);
        }

        if (length > (ulong)Remaining)
        {
            throw Error($"A length of {length} bytes exceeds the {Remaining} bytes that remain.", start);
        }

        return (int)length;
    }

    private ulong ReadVarUInt64Slow()
    {
        int start = _position;
        OperationStatus status = Varint.TryRead(_data[start..], out ulong value, out int consumed);
        if (status == OperationStatus.Done)
        {
            _position = start + consumed;
            return value;
        }

        if (status == OperationStatus.NeedMoreData)
        {
            throw Error("Unexpected end of input inside a varint.", start);
        }

        throw _data[start + consumed - 1] == 0
            ? Error("A varint is not minimal (it ends with a zero group).", start)
            : Error("A varint exceeds 64 bits.", start);
    }
}
