using System;
using System.Collections.Generic;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Encoding.Codecs;

/// <summary>Comparer resolution for the codecs of ordered collections (sets, maps).</summary>
internal static class OrderedCodecs
{
    /// <summary>Returns the default order of <typeparamref name="T"/>, or throws <see cref="NotSupportedException"/> when it has none.</summary>
    public static IComparer<T> DefaultOrder<T>(string collection) =>
        KeyOrder.DefaultOrNull<T>() ?? throw new NotSupportedException(
            $"{typeof(T)} has no default order, so the built-in {collection} codec cannot decode it canonically; " +
            $"create the codec with CrdtCodecs.{collection}(…, comparer) and register it with WithCodec.");

    /// <summary>Throws when a value's order differs from the codec's, because its decoded copy would not be equal.</summary>
    public static void ThrowIfOtherOrder<T>(IComparer<T> codecOrder, IComparer<T> valueOrder, string collection)
    {
        if (!KeyOrder.SameOrder(codecOrder, valueOrder))
        {
            throw new ArgumentException(
                $"The {collection} is ordered by a different comparer than its codec; create the codec with CrdtCodecs.{collection}(…, comparer) using the same comparer.",
                nameof(valueOrder));
        }
    }
}
