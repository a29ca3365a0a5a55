using System;

namespace Sync.Crdt.Encoding.Json;

/// <summary>
/// A tiny per-thread cache of strings by their UTF-8 bytes (property names, replica ids), so JSON readers do not
/// allocate a new string for a name they read a moment ago. Eight entries, replaced round-robin; lookups compare
/// bytes, so a hit returns a string equal to what decoding the bytes would give.
/// </summary>
internal sealed class RecentStrings
{
    private const int Size = 8;
    private const int MaxBytes = 64;

    private readonly byte[][] _bytes = new byte[Size][];
    private readonly string[] _strings = new string[Size];
    private int _next;

    public bool TryGet(ReadOnlySpan<byte> utf8, out string value)
    {
        for (int i = 0; i < Size; i++)
        {
            byte[]? bytes = _bytes[i];
            if (bytes is not null && utf8.SequenceEqual(bytes))
            {
                value = _strings[i];
                return true;
            }
        }

        value = null!;
        return false;
    }

    public void Add(ReadOnlySpan<byte> utf8, string value)
    {
        if (utf8.Length > MaxBytes)
        {
            return;
        }

        _bytes[_next] = utf8.ToArray();
        _strings[_next] = value;
        _next = (_next + 1) % Size;
    }
}
