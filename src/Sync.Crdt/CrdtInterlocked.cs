using System;
using System.Threading;

namespace Sync.Crdt;

/// <summary>
/// Lock-free updates of a shared field that holds an immutable replicated value, in the manner of
/// <c>System.Collections.Immutable.ImmutableInterlocked</c>: read the value, compute the new one, and publish it
/// with a compare-and-swap, retrying when another thread published first.
/// </summary>
/// <remarks>
/// <para>Because Sync.Crdt values are immutable, a field holding one can be shared by many threads: readers just
/// read it, and writers go through these methods so no concurrent update is lost. The transformer may run more
/// than once under contention, so it must be free of side effects (the mutators and <c>Merge</c> of the library's
/// types are).</para>
/// <para>A transformer that returns its argument unchanged (the same instance, as every no-op mutation and
/// dominated merge does) publishes nothing and the method returns <see langword="false"/>.</para>
/// </remarks>
public static class CrdtInterlocked
{
    /// <summary>Replaces the value in <paramref name="location"/> with <c>transformer(value)</c>, atomically.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="location">The shared field.</param>
    /// <param name="transformer">Computes the new value from the current one; may run more than once.</param>
    /// <returns><see langword="true"/> when a new value was published; <see langword="false"/> when the transformer returned the current instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transformer"/> is <see langword="null"/>, or it returned <see langword="null"/>.</exception>
    public static bool Update<T>(ref T location, Func<T, T> transformer)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(transformer);
        return Update(ref location, static (current, f) => f(current), transformer);
    }

    /// <summary>Replaces the value in <paramref name="location"/> with <c>transformer(value, argument)</c>, atomically, without a closure.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <typeparam name="TArgument">The type of the extra argument.</typeparam>
    /// <param name="location">The shared field.</param>
    /// <param name="transformer">Computes the new value from the current one and <paramref name="argument"/>; may run more than once.</param>
    /// <param name="argument">Passed to every call of <paramref name="transformer"/>.</param>
    /// <returns><see langword="true"/> when a new value was published; <see langword="false"/> when the transformer returned the current instance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transformer"/> is <see langword="null"/>, or it returned <see langword="null"/>.</exception>
    public static bool Update<T, TArgument>(ref T location, Func<T, TArgument, T> transformer, TArgument argument)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(transformer);
        T current = Volatile.Read(ref location);
        while (true)
        {
            T next = transformer(current, argument) ?? throw new ArgumentNullException(nameof(transformer), "The transformer returned null.");
            if (ReferenceEquals(next, current))
            {
                return false;
            }

            T seen = Interlocked.CompareExchange(ref location, next, current);
            if (ReferenceEquals(seen, current))
            {
                return true;
            }

            current = seen;
        }
    }

    /// <summary>Merges <paramref name="other"/> into the value in <paramref name="location"/>, atomically.</summary>
    /// <typeparam name="T">The replicated value type.</typeparam>
    /// <param name="location">The shared field.</param>
    /// <param name="other">The state to merge in (for example one received from a peer).</param>
    /// <returns><see langword="true"/> when the merge changed the value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="other"/> is <see langword="null"/>.</exception>
    public static bool Merge<T>(ref T location, T other)
        where T : class, IMergeable<T>
    {
        ArgumentNullException.ThrowIfNull(other);
        return Update(ref location, static (current, incoming) => current.Merge(incoming), other);
    }
}
