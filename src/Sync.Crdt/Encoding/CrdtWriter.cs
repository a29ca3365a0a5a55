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
/// Writes the body of one Sync.Crdt binary message: the primitives of the format (LEB128 varints, zigzag signed
/// varints, length-prefixed UTF-8 strings, fixed-size little-endian numbers), replica ids interned into the
/// message's replica table, and nested values through their codecs.
/// </summary>
/// <remarks>
/// <para>A writer is handed to <see cref="ICrdtValueCodec{T}.Encode"/> by <see cref="CrdtSerializer"/>, which
/// afterwards emits the header, the replica table (in order of first use) and the body. Codecs in other
/// assemblies (for example replication protocol messages) use exactly these methods; the byte layout of each is
/// specified in docs/wire-format.md.</para>
/// <para>Each write appends to an internal pooled buffer (amortized O(1) per byte). A writer is used by one
/// thread for one message and is not thread-safe; do not keep a reference to it after the codec returns.</para>
/// </remarks>
[Mutable]
public sealed class CrdtWriter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Dictionary<ReplicaId, int> _replicaIndex = [];
    private readonly List<ReplicaId> _replicas = [];
    private byte[] _buffer;
    private int _length;
    private string? _lastReplica;
    private int _lastReplicaIndex;
    private int _indexed;
    private bool _tableSorted = true;
    private bool _measuring;
    private int _depth;

    // The body length of the previous message, when its buffer was returned to the pool: the next message rents that
    // much at once instead of growing (and copying) from a small buffer again.
    private int _capacityHint;

    // Whether short strings take the single-pass path (not measuring, and the limit cannot reject them).
    private bool _shortStrings;
    private CrdtSerializerOptions _options;

    internal CrdtWriter(CrdtSerializerOptions options)
    {
        _options = options;
        _buffer = ArrayPool<byte>.Shared.Rent(256);
    }

    /// <summary>Gets the options of the message being written (limits and codecs for nested values).</summary>
    public CrdtSerializerOptions Options => _options;

    /// <summary>Gets the number of body bytes written so far.</summary>
    public int BytesWritten => _length;

    /// <summary>Gets the replicas interned so far, in order of first use (their table indices).</summary>
    internal List<ReplicaId> Replicas => _replicas;

    /// <summary>Gets the body written so far.</summary>
    internal ReadOnlySpan<byte> Body => _buffer.AsSpan(0, _length);

    /// <summary>Writes one raw byte.</summary>
    /// <param name="value">The byte.</param>
    public void WriteByte(byte value)
    {
        if (_measuring)
        {
            _length++;
            return;
        }

        Ensure(1);
        _buffer[_length++] = value;
    }

    /// <summary>Writes raw bytes with no length prefix (the reader must know the length).</summary>
    /// <param name="bytes">The bytes.</param>
    public void WriteRawBytes(ReadOnlySpan<byte> bytes)
    {
        if (_measuring)
        {
            _length += bytes.Length;
            return;
        }

        Ensure(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Writes an unsigned LEB128 varint: 7 bits per byte, least significant group first, high bit set on every byte but the last; 1–10 bytes, always minimal.</summary>
    /// <param name="value">The value.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteVarUInt64(ulong value)
    {
        if (_measuring)
        {
            _length += Varint.GetSize(value);
            return;
        }

        Ensure(Varint.MaxLength);
        _length += Varint.Write(_buffer.AsSpan(_length), value);
    }

    /// <summary>Writes a signed value as a zigzag-encoded varint (0, -1, 1, -2, … map to 0, 1, 2, 3, …).</summary>
    /// <param name="value">The value.</param>
    public void WriteVarInt64(long value) => WriteVarUInt64((ulong)((value << 1) ^ (value >> 63)));

    /// <summary>Writes a non-negative count or length as an unsigned varint.</summary>
    /// <param name="count">The count.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public void WriteCount(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        WriteVarUInt64((uint)count);
    }

    /// <summary>Writes a boolean as one byte, 0 or 1.</summary>
    /// <param name="value">The value.</param>
    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    /// <summary>Writes an IEEE 754 binary64 as 8 bytes little-endian; every NaN is written as the canonical quiet NaN 0x7FF8000000000000.</summary>
    /// <param name="value">The value.</param>
    public void WriteDouble(double value)
    {
        if (_measuring)
        {
            _length += 8;
            return;
        }

        Ensure(8);
        long bits = double.IsNaN(value) ? CanonicalNaNBits : BitConverter.DoubleToInt64Bits(value);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_length), bits);
        _length += 8;
    }

    /// <summary>Writes a GUID as 16 bytes in RFC 9562 (big-endian) order, the order of its text form.</summary>
    /// <param name="value">The value.</param>
    public void WriteGuid(Guid value)
    {
        if (_measuring)
        {
            _length += 16;
            return;
        }

        Ensure(16);
        value.TryWriteBytes(_buffer.AsSpan(_length, 16), bigEndian: true, out _);
        _length += 16;
    }

    /// <summary>Writes a byte array as a varint length followed by the bytes.</summary>
    /// <param name="bytes">The bytes; at most <see cref="CrdtSerializerOptions.MaxStringBytes"/>.</param>
    /// <exception cref="ArgumentException">The array is longer than the decoder would accept.</exception>
    public void WriteLengthPrefixedBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _options.MaxStringBytes)
        {
            throw new ArgumentException($"A byte array of {bytes.Length} bytes exceeds MaxStringBytes ({_options.MaxStringBytes}).", nameof(bytes));
        }

        WriteVarUInt64((uint)bytes.Length);
        WriteRawBytes(bytes);
    }

    /// <summary>Writes a string as a varint byte length followed by its UTF-8 bytes (no terminator, no byte-order mark).</summary>
    /// <param name="value">The string: valid UTF-16 (no unpaired surrogates) of at most <see cref="CrdtSerializerOptions.MaxStringBytes"/> UTF-8 bytes.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The string holds an unpaired surrogate or is too long for the decoder's limit.</exception>
    public void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= ShortString && _shortStrings)
        {
            // At most 127 UTF-8 bytes: the length takes one byte, so transcode once, straight after it.
            Ensure(1 + (ShortString * 3));
            if (value.Length <= ShortAscii.MaxLength && ShortAscii.TryWrite(value, ref _buffer[_length + 1]))
            {
                _buffer[_length] = (byte)value.Length;
                _length += 1 + value.Length;
                return;
            }

            OperationStatus status = System.Text.Unicode.Utf8.FromUtf16(value, _buffer.AsSpan(_length + 1), out _, out int written, replaceInvalidSequences: false);
            if (status == OperationStatus.Done && written < 0x80)
            {
                _buffer[_length] = (byte)written;
                _length += 1 + written;
                return;
            }
        }

        int byteCount;
        try
        {
            byteCount = StrictUtf8.GetByteCount(value);
        }
        catch (EncoderFallbackException ex)
        {
            throw new ArgumentException("The string holds an unpaired surrogate and cannot be encoded as UTF-8 losslessly.", nameof(value), ex);
        }

        if (byteCount > _options.MaxStringBytes)
        {
            throw new ArgumentException($"A string of {byteCount} UTF-8 bytes exceeds MaxStringBytes ({_options.MaxStringBytes}).", nameof(value));
        }

        WriteVarUInt64((uint)byteCount);
        if (_measuring)
        {
            _length += byteCount;
            return;
        }

        Ensure(byteCount);
        _length += StrictUtf8.GetBytes(value, _buffer.AsSpan(_length));
    }

    /// <summary>
    /// Writes a replica id as a varint index into the message's replica table, adding it to the table on first
    /// use. Each distinct replica's string is written once per message, in the table. O(1) expected.
    /// </summary>
    /// <param name="replica">The replica.</param>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default (invalid) id.</exception>
    public void WriteReplica(ReplicaId replica) => WriteVarUInt64((uint)InternReplica(replica));

    /// <summary>
    /// Returns the replica table index of <paramref name="replica"/>, adding it to the table on first use (what
    /// <see cref="WriteReplica"/> writes). O(1) expected.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default (invalid) id.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal int InternReplica(ReplicaId replica)
    {
        // Runs of the same replica are common (a vector entry then its dots, a replica's adds); skip the lookup.
        string value = replica.Value;
        if (ReferenceEquals(value, _lastReplica) && value is not null)
        {
            return _lastReplicaIndex;
        }

        // A few replicas taking turns (the usual case): find the same instance among the first entries.
        ReadOnlySpan<ReplicaId> table = ReplicaTable;
        for (int i = 0; i < table.Length && i < 4; i++)
        {
            if (ReferenceEquals(table[i].Value, value) && value is not null)
            {
                _lastReplica = value;
                _lastReplicaIndex = i;
                return i;
            }
        }

        return InternReplicaSlow(replica);
    }

    private int InternReplicaSlow(ReplicaId replica)
    {
        ReplicaId.ThrowIfDefault(replica, nameof(replica));
        string value = replica.Value;
        int index = -1;
        ReadOnlySpan<ReplicaId> table = ReplicaTable;
        if (table.Length <= 8)
        {
            // Few replicas (the usual case): a reference scan is cheaper than hashing the string.
            for (int i = 0; i < table.Length; i++)
            {
                if (ReferenceEquals(table[i].Value, value))
                {
                    index = i;
                    break;
                }
            }
        }

        if (index < 0)
        {
            EnsureIndexed();
            if (!_replicaIndex.TryGetValue(replica, out index))
            {
                index = _replicas.Count;
                _replicaIndex.Add(replica, index);
                _replicas.Add(replica);
                _indexed++;
                _tableSorted = false;
            }
        }

        _lastReplica = value;
        _lastReplicaIndex = index;
        return index;
    }

    /// <summary>
    /// Writes two unsigned varints (a table index and a counter, a time and a table index, …) with one capacity check.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteVarUInt64Pair(ulong first, ulong second)
    {
        if (_measuring)
        {
            _length += Varint.GetSize(first) + Varint.GetSize(second);
            return;
        }

        Ensure(2 * Varint.MaxLength);
        byte[] buffer = _buffer;
        _length = PutVarint(buffer, PutVarint(buffer, _length, first), second);
    }

    /// <summary>Writes three unsigned varints with one capacity check.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void WriteVarUInt64Triple(ulong first, ulong second, ulong third)
    {
        if (_measuring)
        {
            _length += Varint.GetSize(first) + Varint.GetSize(second) + Varint.GetSize(third);
            return;
        }

        Ensure(3 * Varint.MaxLength);
        byte[] buffer = _buffer;
        _length = PutVarint(buffer, PutVarint(buffer, PutVarint(buffer, _length, first), second), third);
    }

    /// <summary>Gets a value indicating whether a nested value can be written without exceeding <see cref="CrdtSerializerOptions.MaxDepth"/>.</summary>
    internal bool CanNest => _depth < _options.MaxDepth;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PutVarint(byte[] buffer, int position, ulong value)
    {
        while (value >= 0x80)
        {
            buffer[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        buffer[position++] = (byte)value;
        return position;
    }

    /// <summary>Gets a value indicating whether no replica has been written yet (the replica table is empty).</summary>
    internal bool ReplicaTableIsEmpty => _replicas.Count == 0;

    /// <summary>Gets a value indicating whether the table holds only replicas appended by <see cref="AppendDistinctReplicas"/> (strictly ascending).</summary>
    internal bool ReplicaTableIsSorted => _tableSorted;

    /// <summary>Gets the replica table so far, in index order (valid until the next write of a new replica).</summary>
    internal ReadOnlySpan<ReplicaId> ReplicaTable => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_replicas);

    /// <summary>
    /// Returns the encoded size of the replica table's entries (each a varint byte length and the UTF-8 bytes; not the
    /// entry count). O(table).
    /// </summary>
    internal long MeasureReplicaTable()
    {
        long total = 0;
        foreach (ReplicaId replica in ReplicaTable)
        {
            int bytes = System.Text.Encoding.UTF8.GetByteCount(replica.Value);
            total += Varint.GetSize((uint)bytes) + bytes;
        }

        return total;
    }

    /// <summary>
    /// Writes the replica table (the entry count, then each entry's byte length and UTF-8 bytes) at the start of
    /// <paramref name="destination"/>, which has room for exactly what <see cref="MeasureReplicaTable"/> counted;
    /// returns the bytes written. A short id is transcoded once, straight after a one-byte length (ids are valid UTF-16).
    /// </summary>
    internal int WriteReplicaTable(Span<byte> destination)
    {
        ReadOnlySpan<ReplicaId> replicas = ReplicaTable;
        int position = Varint.Write(destination, (uint)replicas.Length);
        for (int i = 0; i < replicas.Length; i++)
        {
            string id = replicas[i].Value;
            if (id.Length <= ShortAscii.MaxLength && destination.Length - position > id.Length && ShortAscii.TryWrite(id, ref destination[position + 1]))
            {
                destination[position] = (byte)id.Length;
                position += 1 + id.Length;
                continue;
            }

            if (id.Length <= ShortString)
            {
                // At most 126 UTF-8 bytes: a one-byte length.
                System.Text.Unicode.Utf8.FromUtf16(id, destination[(position + 1)..], out _, out int written, replaceInvalidSequences: false);
                destination[position] = (byte)written;
                position += 1 + written;
                continue;
            }

            int bytes = System.Text.Encoding.UTF8.GetByteCount(id);
            position += Varint.Write(destination[position..], (uint)bytes);
            position += System.Text.Encoding.UTF8.GetBytes(id, destination[position..]);
        }

        return position;
    }

    /// <summary>Appends a replica the caller has proven absent from the table; returns its index.</summary>
    internal int AppendNewReplica(ReplicaId replica)
    {
        ReplicaId.ThrowIfDefault(replica, nameof(replica));
        _replicas.Add(replica);
        _tableSorted = false;
        return _replicas.Count - 1;
    }

    /// <summary>
    /// Adds replicas the caller guarantees are distinct to an empty table, in order (entry i gets index i), without
    /// hashing them; they are indexed for lookup only if a later <see cref="WriteReplica"/> needs it.
    /// </summary>
    internal void AppendDistinctReplicas(ReadOnlySpan<ReplicaId> replicas)
    {
        if (_replicas.Count != 0)
        {
            throw new InvalidOperationException("Distinct replicas can only start an empty table.");
        }

        _replicas.AddRange(replicas);
    }

    /// <summary>Writes a nested value with <paramref name="codec"/>, counting one level of nesting.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <param name="codec">The value's codec.</param>
    /// <exception cref="ArgumentNullException"><paramref name="codec"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The nesting exceeds <see cref="CrdtSerializerOptions.MaxDepth"/>.</exception>
    public void Write<T>(T value, ICrdtValueCodec<T> codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        if (++_depth > _options.MaxDepth)
        {
            throw new InvalidOperationException($"Values nest deeper than MaxDepth ({_options.MaxDepth}); a decoder would reject the message.");
        }

        codec.Encode(this, value);
        _depth--;
    }

    /// <summary>Writes a nested value with the codec the options resolve for <typeparamref name="T"/>.</summary>
    /// <typeparam name="T">The value's type.</typeparam>
    /// <param name="value">The value.</param>
    /// <exception cref="NotSupportedException">No codec exists for <typeparamref name="T"/>.</exception>
    /// <exception cref="InvalidOperationException">The nesting exceeds <see cref="CrdtSerializerOptions.MaxDepth"/>.</exception>
    public void Write<T>(T value) => Write(value, _options.GetCodec<T>());

    /// <summary>The largest body size remembered as the next message's starting capacity.</summary>
    private const int MaxCapacityHint = 64 * 1024 * 1024;

    /// <summary>Strings of at most this many UTF-16 code units take the single-pass path of <see cref="WriteString"/> (3 bytes per unit at most).</summary>
    private const int ShortString = 42;

    /// <summary>The bit pattern every NaN is written as.</summary>
    internal const long CanonicalNaNBits = 0x7FF8000000000000;

    /// <summary>Prepares the writer for a new message.</summary>
    internal void Reset(CrdtSerializerOptions options) => Reset(options, measuring: false);

    /// <summary>
    /// Prepares the writer for a new message; when <paramref name="measuring"/>, every write only adds its encoded
    /// length to <see cref="BytesWritten"/> (the replica table is still built), so no byte of the body is produced.
    /// </summary>
    internal void Reset(CrdtSerializerOptions options, bool measuring)
    {
        if (!measuring && _capacityHint > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(_capacityHint);
        }

        _capacityHint = 0;
        _measuring = measuring;
        _shortStrings = !measuring && options.MaxStringBytes >= ShortString * 3;
        _options = options;
        _length = 0;
        _depth = 0;
        _lastReplica = null;
        _indexed = 0;
        _tableSorted = true;
        _replicaIndex.Clear();
        _replicas.Clear();
    }

    /// <summary>Returns the buffer to the pool when it has grown large, so an idle cached writer holds little memory.</summary>
    internal void Trim()
    {
        if (_buffer.Length > 64 * 1024)
        {
            _capacityHint = _measuring ? 0 : Math.Min(_length, MaxCapacityHint);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(256);
        }

        if (_replicas.Count > 1024)
        {
            _replicaIndex.TrimExcess();
            _replicas.TrimExcess();
        }
    }

    private void EnsureIndexed()
    {
        if (_indexed == _replicas.Count)
        {
            return;
        }

        _replicaIndex.EnsureCapacity(_replicas.Count);
        for (int i = _indexed; i < _replicas.Count; i++)
        {
            _replicaIndex.Add(_replicas[i], i);
        }

        _indexed = _replicas.Count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure(int count)
    {
        if (_buffer.Length - _length < count)
        {
            Grow(count);
        }
    }

    private void Grow(int count)
    {
        long needed = (long)_length + count;
        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException("The message is larger than the largest array .NET can allocate.");
        }

        int size = (int)Math.Min(Array.MaxLength, Math.Max(needed, (long)_buffer.Length * 2));
        byte[] bigger = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }
}
