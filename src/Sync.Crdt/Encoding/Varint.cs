using System;
using System.Buffers;
using System.Runtime.CompilerServices;

namespace Sync.Crdt.Encoding;

/// <summary>
/// Unsigned LEB128 variable-length integers on spans, the primitive of every Sync.Crdt binary format: 7 bits per byte,
/// least significant group first, the high bit set on every byte but the last. Writing always produces the minimal
/// encoding (1 to <see cref="MaxLength"/> bytes); reading accepts only minimal encodings of at most 64 bits, so every
/// value has exactly one encoding and encoded messages can be compared byte by byte.
/// </summary>
/// <remarks>
/// Stateless and thread-safe. Every method is O(encoded length) and allocation-free.
/// </remarks>
public static class Varint
{
    /// <summary>The longest encoding: 10 bytes, for values of 2⁶³ and above.</summary>
    public const int MaxLength = 10;

    /// <summary>Returns the number of bytes <see cref="Write"/> uses for <paramref name="value"/> (1 to 10).</summary>
    /// <param name="value">The value.</param>
    /// <returns>The minimal encoded length.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetSize(ulong value)
    {
        // Bits needed (at least 1), 7 per byte: 1 + (bits - 1) / 7 == (bits + 6) / 7.
        int bits = 64 - System.Numerics.BitOperations.LeadingZeroCount(value | 1);
        return (bits + 6) / 7;
    }

    /// <summary>Writes the minimal encoding of <paramref name="value"/> at the start of <paramref name="destination"/>.</summary>
    /// <param name="destination">Where to write; at least <see cref="GetSize"/>(<paramref name="value"/>) bytes (10 always suffice).</param>
    /// <param name="value">The value.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short; nothing is written.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Write(Span<byte> destination, ulong value)
    {
        if (value < 0x80 && destination.Length > 0)
        {
            destination[0] = (byte)value;
            return 1;
        }

        return WriteMultiByte(destination, value);
    }

    /// <summary>
    /// Reads a varint from the start of <paramref name="source"/>. The encoding must be minimal (no final zero group after
    /// the first byte) and fit 64 bits (a tenth byte of at most 1).
    /// </summary>
    /// <param name="source">The bytes; only the varint's bytes are read.</param>
    /// <param name="value">The value when <see cref="OperationStatus.Done"/> is returned; otherwise 0.</param>
    /// <param name="bytesConsumed">
    /// The varint's length when <see cref="OperationStatus.Done"/>; with <see cref="OperationStatus.InvalidData"/>, the number of
    /// bytes up to and including the offending one, which is 0x00 for a non-minimal encoding and above 1 for one that exceeds
    /// 64 bits; with <see cref="OperationStatus.NeedMoreData"/>, the length of <paramref name="source"/>.
    /// </param>
    /// <returns><see cref="OperationStatus.Done"/>; <see cref="OperationStatus.NeedMoreData"/> when <paramref name="source"/> ends
    /// inside the varint; <see cref="OperationStatus.InvalidData"/> for a non-minimal encoding or one above 64 bits.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static OperationStatus TryRead(ReadOnlySpan<byte> source, out ulong value, out int bytesConsumed)
    {
        if (source.Length > 0 && source[0] < 0x80)
        {
            value = source[0];
            bytesConsumed = 1;
            return OperationStatus.Done;
        }

        return TryReadMultiByte(source, out value, out bytesConsumed);
    }

    private static int WriteMultiByte(Span<byte> destination, ulong value)
    {
        int size = GetSize(value);
        if (destination.Length < size)
        {
            throw new ArgumentException($"The destination has {destination.Length} bytes; the value needs {size}.", nameof(destination));
        }

        int position = 0;
        while (value >= 0x80)
        {
            destination[position++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[position++] = (byte)value;
        return position;
    }

    private static OperationStatus TryReadMultiByte(ReadOnlySpan<byte> source, out ulong value, out int bytesConsumed)
    {
        ulong result = 0;
        for (int i = 0; ; i++)
        {
            if (i == source.Length)
            {
                value = 0;
                bytesConsumed = i;
                return OperationStatus.NeedMoreData;
            }

            byte b = source[i];
            if ((i == MaxLength - 1 && b > 1) || (b == 0 && i > 0))
            {
                value = 0;
                bytesConsumed = i + 1;
                return OperationStatus.InvalidData;
            }

            result |= (ulong)(b & 0x7F) << (7 * i);
            if (b < 0x80)
            {
                value = result;
                bytesConsumed = i + 1;
                return OperationStatus.Done;
            }

            // The loop ends by the tenth byte: it is either rejected above (more than 1) or ends the varint (below 0x80).
        }
    }
}
