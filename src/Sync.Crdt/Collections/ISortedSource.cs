using System;

namespace Sync.Crdt.Collections;

/// <summary>
/// Entries in strictly increasing key order that a bottom-up build copies straight into its leaves, so a caller that
/// produces entries (a bulk load, a decoder) needs no intermediate arrays of the whole input.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
internal interface ISortedSource<TKey, TValue>
{
    /// <summary>Writes the next <c>keys.Length</c> entries (the leaves are filled in order, once each).</summary>
    void Fill(Span<TKey> keys, Span<TValue> values);
}
