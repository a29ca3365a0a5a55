namespace Sync.Crdt.Collections;

/// <summary>
/// One key whose entry a merge-join changed relative to its primary input (the larger tree, whose entries the
/// result keeps unless told otherwise): the entry it had there, if any, and the entry it has in the result, if any.
/// </summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
/// <param name="Key">The key.</param>
/// <param name="HadBefore">Whether the primary input held the key.</param>
/// <param name="Before">The primary input's value (<see langword="default"/> when it did not hold the key).</param>
/// <param name="HasAfter">Whether the result holds the key.</param>
/// <param name="After">The result's value (<see langword="default"/> when it does not hold the key).</param>
internal readonly record struct SortedTreeChange<TKey, TValue>(TKey Key, bool HadBefore, TValue Before, bool HasAfter, TValue After);
