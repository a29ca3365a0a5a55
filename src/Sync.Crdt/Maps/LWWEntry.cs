using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Maps;

/// <summary>The winning write of one key of an <see cref="LWWMap{TKey, TValue}"/>: a value or a tombstone, with its timestamp.</summary>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed class LWWEntry<TValue> : LWWWrite
{
    /// <summary>The order that breaks ties between different values written under one timestamp (invalid input), if any.</summary>
    private static readonly IComparer<TValue>? TieBreak = KeyOrder.DefaultOrNull<TValue>();

    public LWWEntry(LWWTimestamp timestamp, bool isDeleted, TValue value)
        : base(timestamp, isDeleted)
    {
        Value = value;
    }

    /// <summary>Gets the written value (<see langword="default"/> for a tombstone).</summary>
    public TValue Value { get; }

    /// <summary>
    /// Views a write of a map of <typeparamref name="TValue"/> as its entry type: every write such a map stores is
    /// an <see cref="LWWEntry{TValue}"/> (the map's only way in), so no type check is needed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LWWEntry<TValue> Of(LWWWrite write)
    {
        Debug.Assert(write is LWWEntry<TValue>, "A map's writes are entries of its value type.");
        return Unsafe.As<LWWEntry<TValue>>(write);
    }

    /// <inheritdoc />
    protected override int CompareSameStamp(LWWWrite other)
    {
        LWWEntry<TValue> entry = Of(other);
        if (IsDeleted)
        {
            return 0;
        }

        if (typeof(TValue) == typeof(string))
        {
            // Reference-typed values run as shared generic code, where the default comparer is a static lookup and an
            // interface call per key: compare strings (the common value type of merge-heavy maps) directly. The
            // tie-break for strings is ordinal (KeyOrder), so the result is the one below.
            string? a = Unsafe.As<string?>(Value);
            string? b = Unsafe.As<string?>(entry.Value);
            return string.Equals(a, b) ? 0 : string.CompareOrdinal(a, b) < 0 ? -1 : 1;
        }

        if (EqualityComparer<TValue>.Default.Equals(Value, entry.Value))
        {
            return 0;
        }

        return TieBreak is { } order ? (order.Compare(Value, entry.Value) < 0 ? -1 : 1) : 1;
    }
}
