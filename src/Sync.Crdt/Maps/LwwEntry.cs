using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Maps;

/// <summary>The winning write of one key of an <see cref="LWWMap{TKey, TValue}"/>: a value or a tombstone, with its timestamp.</summary>
/// <typeparam name="TValue">The value type.</typeparam>
internal sealed class LwwEntry<TValue> : LwwWrite
{
    /// <summary>The order that breaks ties between different values written under one timestamp (invalid input), if any.</summary>
    private static readonly IComparer<TValue>? TieBreak = KeyOrder.DefaultOrNull<TValue>();

    public LwwEntry(LwwTimestamp timestamp, bool isDeleted, TValue value)
        : base(timestamp, isDeleted)
    {
        Value = value;
    }

    /// <summary>Gets the written value (<see langword="default"/> for a tombstone).</summary>
    public TValue Value { get; }

    /// <summary>
    /// Views a write of a map of <typeparamref name="TValue"/> as its entry type: every write such a map stores is
    /// an <see cref="LwwEntry{TValue}"/> (the map's only way in), so no type check is needed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LwwEntry<TValue> Of(LwwWrite write)
    {
        Debug.Assert(write is LwwEntry<TValue>, "A map's writes are entries of its value type.");
        return Unsafe.As<LwwEntry<TValue>>(write);
    }

    /// <inheritdoc />
    protected override int CompareSameStamp(LwwWrite other)
    {
        LwwEntry<TValue> entry = Of(other);
        if (IsDeleted || EqualityComparer<TValue>.Default.Equals(Value, entry.Value))
        {
            return 0;
        }

        return TieBreak is { } order ? (order.Compare(Value, entry.Value) < 0 ? -1 : 1) : 1;
    }
}
