using System;
using Sync.Crdt.Testing.Internal;

namespace Sync.Crdt.Testing;

/// <summary>
/// A generator of random values with integrated shrinking: it turns the choices of a <see cref="GenContext"/> into
/// a value, so the checker shrinks a failing case by shrinking its choices and generating again (no separate
/// shrinker to write, and every shrunk value is one the generator can produce). Build generators with
/// <see cref="CrdtGen"/> and compose them with <see cref="Select{TResult}"/>, <see cref="SelectMany{TResult}"/>
/// (LINQ query syntax) and <see cref="Where"/>.
/// </summary>
/// <typeparam name="T">The value type.</typeparam>
/// <remarks>Immutable and thread-safe if the generating function is.</remarks>
public sealed class CrdtGen<T>
{
    private readonly Func<GenContext, T> _generate;

    internal CrdtGen(Func<GenContext, T> generate) => _generate = generate;

    /// <summary>Generates a value from <paramref name="context"/>'s choices.</summary>
    /// <param name="context">The source of choices.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    public T Generate(GenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return _generate(context);
    }

    /// <summary>Generates one value from a seed: the same seed gives the same value (for samples and adapters).</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>The value.</returns>
    public T Sample(ulong seed) => _generate(new GenContext(ChoiceSource.Random(seed)));

    /// <summary>Maps generated values.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="selector">The mapping.</param>
    /// <returns>The mapped generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="selector"/> is <see langword="null"/>.</exception>
    public CrdtGen<TResult> Select<TResult>(Func<T, TResult> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return new CrdtGen<TResult>(context => selector(_generate(context)));
    }

    /// <summary>Chains a generator that depends on a generated value.</summary>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="selector">Picks the next generator from the value.</param>
    /// <returns>The chained generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="selector"/> is <see langword="null"/>.</exception>
    public CrdtGen<TResult> SelectMany<TResult>(Func<T, CrdtGen<TResult>> selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return new CrdtGen<TResult>(context => selector(_generate(context)).Generate(context));
    }

    /// <summary>Chains a dependent generator and combines both values (LINQ <c>from … from … select</c>).</summary>
    /// <typeparam name="TNext">The dependent value type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="selector">Picks the next generator from the value.</param>
    /// <param name="result">Combines both values.</param>
    /// <returns>The chained generator.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public CrdtGen<TResult> SelectMany<TNext, TResult>(Func<T, CrdtGen<TNext>> selector, Func<T, TNext, TResult> result)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(result);
        return new CrdtGen<TResult>(context =>
        {
            T first = _generate(context);
            return result(first, selector(first).Generate(context));
        });
    }

    /// <summary>
    /// Keeps only values that satisfy <paramref name="predicate"/>, generating again up to 100 times; a case that finds
    /// none is discarded. Prefer generators that build valid values directly.
    /// </summary>
    /// <param name="predicate">The condition.</param>
    /// <returns>The filtered generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is <see langword="null"/>.</exception>
    public CrdtGen<T> Where(Func<T, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return new CrdtGen<T>(context =>
        {
            for (int attempt = 0; attempt < 100; attempt++)
            {
                T value = _generate(context);
                if (predicate(value))
                {
                    return value;
                }
            }

            throw new ChoiceOverrunException("No generated value satisfied the filter in 100 attempts.");
        });
    }
}
