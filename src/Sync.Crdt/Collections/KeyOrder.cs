using System;
using System.Collections.Generic;

namespace Sync.Crdt.Collections;

/// <summary>Resolves the deterministic default order of element and key types.</summary>
internal static class KeyOrder
{
    /// <summary>
    /// Returns the default order of <typeparamref name="T"/>: ordinal for <see cref="string"/>,
    /// <see cref="Comparer{T}.Default"/> for types implementing <see cref="IComparable{T}"/> or
    /// <see cref="IComparable"/>, and <see langword="null"/> for types with no order.
    /// </summary>
    public static IComparer<T>? DefaultOrNull<T>()
    {
        if (typeof(T) == typeof(string))
        {
            return (IComparer<T>)(object)StringComparer.Ordinal;
        }

        Type type = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        if (typeof(IComparable<T>).IsAssignableFrom(typeof(T)) || typeof(IComparable).IsAssignableFrom(type))
        {
            return Comparer<T>.Default;
        }

        return null;
    }

    /// <summary>The message of the exception thrown when a type has no default order.</summary>
    public static string NoOrderMessage(Type type, string collection) =>
        $"{type} has no default order (it implements neither IComparable<T> nor IComparable), so a {collection} of it " +
        "cannot be created without one. Pass an IComparer<T> that orders it deterministically on every replica.";

    /// <summary>Returns whether two comparers define the same order as far as this library can tell (same instance or equal).</summary>
    public static bool SameOrder<T>(IComparer<T> left, IComparer<T> right) =>
        ReferenceEquals(left, right) || left.Equals(right);
}
