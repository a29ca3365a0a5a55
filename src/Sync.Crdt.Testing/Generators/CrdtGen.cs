using System;
using System.Collections.Generic;
using System.Globalization;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Testing;

/// <summary>
/// Generators with integrated shrinking (see <see cref="CrdtGen{T}"/>). Numbers shrink toward their lower bound,
/// choices toward the first alternative, lists toward fewer elements.
/// </summary>
/// <remarks>Every member is thread-safe and returns an immutable generator.</remarks>
public static class CrdtGen
{
    /// <summary>A generator written as code: draw from the context, return the value.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="generate">Builds a value from the context's choices; must be deterministic given them.</param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="generate"/> is <see langword="null"/>.</exception>
    public static CrdtGen<T> Create<T>(Func<GenContext, T> generate)
    {
        ArgumentNullException.ThrowIfNull(generate);
        return new CrdtGen<T>(generate);
    }

    /// <summary>Always <paramref name="value"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="value">The value.</param>
    /// <returns>The generator.</returns>
    public static CrdtGen<T> Constant<T>(T value) => new(_ => value);

    /// <summary>Integers in [<paramref name="min"/>, <paramref name="max"/>], shrinking toward <paramref name="min"/>.</summary>
    /// <param name="min">The inclusive lower bound.</param>
    /// <param name="max">The inclusive upper bound.</param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> is less than <paramref name="min"/>.</exception>
    public static CrdtGen<int> Int32(int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        return new(context => context.Int32(min, max));
    }

    /// <summary>Integers in [<paramref name="min"/>, <paramref name="max"/>], shrinking toward <paramref name="min"/>.</summary>
    /// <param name="min">The inclusive lower bound.</param>
    /// <param name="max">The inclusive upper bound.</param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> is less than <paramref name="min"/>.</exception>
    public static CrdtGen<long> Int64(long min, long max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        return new(context => context.Int64(min, max));
    }

    /// <summary>Booleans, shrinking toward <see langword="false"/>.</summary>
    /// <returns>The generator.</returns>
    public static CrdtGen<bool> Boolean() => new(context => context.Boolean());

    /// <summary>One of <paramref name="values"/>, shrinking toward the first.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="values">The candidates (at least one; copied).</param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty.</exception>
    public static CrdtGen<T> Elements<T>(params T[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
        {
            throw new ArgumentException("At least one value is needed.", nameof(values));
        }

        T[] copy = (T[])values.Clone();
        return new(context => copy[context.Int32(0, copy.Length - 1)]);
    }

    /// <summary>A value of one of <paramref name="generators"/> (picked uniformly), shrinking toward the first.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="generators">The alternatives (at least one; copied).</param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="generators"/> or an element is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="generators"/> is empty.</exception>
    public static CrdtGen<T> OneOf<T>(params CrdtGen<T>[] generators)
    {
        ArgumentNullException.ThrowIfNull(generators);
        if (generators.Length == 0)
        {
            throw new ArgumentException("At least one generator is needed.", nameof(generators));
        }

        CrdtGen<T>[] copy = (CrdtGen<T>[])generators.Clone();
        foreach (CrdtGen<T> generator in copy)
        {
            ArgumentNullException.ThrowIfNull(generator, nameof(generators));
        }

        return new(context => copy[context.Int32(0, copy.Length - 1)].Generate(context));
    }

    /// <summary>A value of one of the generators, picked with the given positive weights; shrinks toward the first.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="alternatives">Weight and generator pairs (at least one; copied).</param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="alternatives"/> or a generator is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="alternatives"/> is empty or a weight is not positive.</exception>
    public static CrdtGen<T> Frequency<T>(params (int Weight, CrdtGen<T> Generator)[] alternatives)
    {
        ArgumentNullException.ThrowIfNull(alternatives);
        if (alternatives.Length == 0)
        {
            throw new ArgumentException("At least one alternative is needed.", nameof(alternatives));
        }

        var copy = ((int Weight, CrdtGen<T> Generator)[])alternatives.Clone();
        long total = 0;
        foreach ((int weight, CrdtGen<T> generator) in copy)
        {
            ArgumentNullException.ThrowIfNull(generator, nameof(alternatives));
            if (weight <= 0)
            {
                throw new ArgumentException("Weights must be positive.", nameof(alternatives));
            }

            total += weight;
        }

        return new(context =>
        {
            long pick = context.Int64(0, total - 1);
            foreach ((int weight, CrdtGen<T> generator) in copy)
            {
                if (pick < weight)
                {
                    return generator.Generate(context);
                }

                pick -= weight;
            }

            throw new InvalidOperationException("Unreachable: the pick is below the total weight.");
        });
    }

    /// <summary>
    /// Lists of <paramref name="element"/> values with a length in [<paramref name="minLength"/>, <paramref name="maxLength"/>]
    /// (about half the maximum on average). Each element is preceded by a "one more" choice, so shrinking deletes
    /// elements anywhere in the list, then simplifies the rest.
    /// </summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="element">The element generator.</param>
    /// <param name="maxLength">The maximum length.</param>
    /// <param name="minLength">The minimum length.</param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="element"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A length is negative, or <paramref name="maxLength"/> is less than <paramref name="minLength"/>.</exception>
    public static CrdtGen<IReadOnlyList<T>> ListOf<T>(CrdtGen<T> element, int maxLength = 16, int minLength = 0)
    {
        ArgumentNullException.ThrowIfNull(element);
        ArgumentOutOfRangeException.ThrowIfNegative(minLength);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, minLength);
        ulong bias = (ulong)Math.Max(1, maxLength / 2);
        return new(context =>
        {
            var list = new List<T>();
            while (list.Count < maxLength && (list.Count < minLength || context.Choice(bias) != 0))
            {
                list.Add(element.Generate(context));
            }

            return list;
        });
    }

    /// <summary>Strings of characters from <paramref name="alphabet"/>, up to <paramref name="maxLength"/> long.</summary>
    /// <param name="alphabet">The characters to use (at least one).</param>
    /// <param name="maxLength">The maximum length.</param>
    /// <returns>The generator; shrinks toward shorter strings of the alphabet's first character.</returns>
    /// <exception cref="ArgumentException"><paramref name="alphabet"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is negative.</exception>
    public static CrdtGen<string> String(string alphabet = "abcde", int maxLength = 8)
    {
        ArgumentException.ThrowIfNullOrEmpty(alphabet);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLength);
        CrdtGen<char> character = Create(context => alphabet[context.Int32(0, alphabet.Length - 1)]);
        return ListOf(character, maxLength).Select(chars => new string([.. chars]));
    }

    /// <summary>Replica ids <c>r0</c> … <c>r{count-1}</c>, shrinking toward <c>r0</c>.</summary>
    /// <param name="count">How many distinct replicas (1 to 1000).</param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is outside [1, 1000].</exception>
    public static CrdtGen<ReplicaId> Replica(int count = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, 1000);
        return new(context => new ReplicaId("r" + context.Int32(0, count - 1).ToString(CultureInfo.InvariantCulture)));
    }
}
