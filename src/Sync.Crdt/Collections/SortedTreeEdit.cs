namespace Sync.Crdt.Collections;

/// <summary>One edit of <see cref="SortedTree{TKey, TValue}.ApplySorted"/>: set a key's value, or remove the key.</summary>
/// <typeparam name="TKey">The key type.</typeparam>
/// <typeparam name="TValue">The value type.</typeparam>
/// <param name="Key">The key.</param>
/// <param name="Value">The value to set (ignored for a removal).</param>
/// <param name="IsRemoval">Whether the edit removes the key (a no-op when it is absent).</param>
internal readonly record struct SortedTreeEdit<TKey, TValue>(TKey Key, TValue Value, bool IsRemoval);
