using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sync.Crdt.Encoding;

/// <summary>
/// The encoders' fast path for short ASCII strings (ids, keys, element names): the UTF-8 bytes of an ASCII string are
/// its UTF-16 code units narrowed, which for up to 16 units takes two overlapping vector loads and stores instead of a
/// general transcoder call.
/// </summary>
/// <remarks>Stateless and thread-safe; allocation-free.</remarks>
internal static class ShortAscii
{
    /// <summary>The longest string this path handles.</summary>
    public const int MaxLength = 16;

    /// <summary>
    /// Writes <paramref name="value"/> (at most <see cref="MaxLength"/> units) as bytes at <paramref name="destination"/>
    /// when every unit is ASCII, and returns whether it did; otherwise the destination bytes are unspecified and the
    /// caller transcodes in general. <paramref name="destination"/> must have room for <paramref name="value"/>'s
    /// length in bytes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool TryWrite(string value, ref byte destination)
    {
        int length = value.Length;
        ref ushort source = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(value.AsSpan()));
        if (length >= 8 && Vector128.IsHardwareAccelerated)
        {
            // Two overlapping 8-unit blocks cover 8 to 16 units.
            Vector128<ushort> head = Vector128.LoadUnsafe(ref source);
            Vector128<ushort> tail = Vector128.LoadUnsafe(ref source, (nuint)(length - 8));
            if (((head | tail) & Vector128.Create((ushort)0xFF80)) != Vector128<ushort>.Zero)
            {
                return false;
            }

            Unsafe.WriteUnaligned(ref destination, Vector128.Narrow(head, head).AsUInt64().ToScalar());
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, length - 8), Vector128.Narrow(tail, tail).AsUInt64().ToScalar());
            return true;
        }

        if (length >= 8)
        {
            return false;
        }

        for (int i = 0; i < length; i++)
        {
            ushort unit = Unsafe.Add(ref source, i);
            if (unit >= 0x80)
            {
                return false;
            }

            Unsafe.Add(ref destination, i) = (byte)unit;
        }

        return true;
    }
}
