using System.Runtime.CompilerServices;

namespace Sync.Crdt.Collections;

/// <summary>
/// Ordinal string comparison that tests equality first: the fast path for comparisons that usually find equal
/// strings in different instances (keys of two replicas in a merge-join, replica ids of decoded values).
/// </summary>
/// <remarks>
/// Equal-length equality is a vectorized memory compare, several times cheaper than
/// <see cref="string.CompareOrdinal(string, string)"/> on strings that share a long prefix, so it pays wherever
/// most compared pairs are equal. Binary searches, where most pairs differ, should call
/// <see cref="string.CompareOrdinal(string, string)"/> directly.
/// </remarks>
internal static class OrdinalEqualFirst
{
    /// <summary>Compares ordinally, returning 0 without an ordering scan when the strings are equal.</summary>
    /// <param name="left">The first string, or <see langword="null"/> (orders first).</param>
    /// <param name="right">The second string, or <see langword="null"/>.</param>
    /// <returns>Negative, zero or positive, as <see cref="string.CompareOrdinal(string, string)"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Compare(string? left, string? right) =>
        string.Equals(left, right) ? 0 : string.CompareOrdinal(left, right);
}
