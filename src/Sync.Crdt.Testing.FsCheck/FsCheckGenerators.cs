using System;
using FsCheck;
using FsCheck.Fluent;

namespace Sync.Crdt.Testing.FsCheck;

/// <summary>
/// Bridges FsCheck 3 and Sync.Crdt.Testing: an FsCheck <see cref="Gen{T}"/> or <see cref="Arbitrary{T}"/> becomes a
/// <see cref="CrdtGen{T}"/> for <see cref="CrdtCheck{T}"/>, and a <see cref="CrdtGen{T}"/> becomes an FsCheck generator
/// for your own properties.
/// </summary>
/// <remarks>
/// An FsCheck generator is driven by two choices, its size and its seed: the checker shrinks the size toward 0 (FsCheck
/// generators make smaller values at smaller sizes) and the seed toward other samples, so counterexamples shrink, if
/// less finely than with generators built from <see cref="CrdtGen"/>; the arbitrary's own shrinker is not used.
/// Every member is thread-safe.
/// </remarks>
public static class FsCheckGenerators
{
    /// <summary>Wraps an FsCheck generator as a <see cref="CrdtGen{T}"/>.</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="generator">The FsCheck generator.</param>
    /// <param name="maxSize">The largest FsCheck size to use (default 50, FsCheck's default end size is 100).</param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is negative.</exception>
    public static CrdtGen<T> ToCrdtGen<T>(this Gen<T> generator, int maxSize = 50)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        return CrdtGen.Create(context =>
        {
            int size = context.Int32(0, maxSize);
            ulong seed = context.Choice(ulong.MaxValue);
            return Gen.Sample(generator, size: size, seed: new Rnd(seed), numberOfSamples: 1)[0];
        });
    }

    /// <summary>
    /// Wraps an FsCheck arbitrary's generator as a <see cref="CrdtGen{T}"/>, sizes 0 to 50 (for another range, pass
    /// <c>arbitrary.Generator</c> to <see cref="ToCrdtGen{T}(Gen{T}, int)"/>).
    /// </summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="arbitrary">The FsCheck arbitrary.</param>
    /// <returns>The generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="arbitrary"/> is <see langword="null"/>.</exception>
    public static CrdtGen<T> ToCrdtGen<T>(this Arbitrary<T> arbitrary)
    {
        ArgumentNullException.ThrowIfNull(arbitrary);
        return arbitrary.Generator.ToCrdtGen();
    }

    /// <summary>Wraps a <see cref="CrdtGen{T}"/> as an FsCheck generator (seeded from FsCheck's random stream; no shrinking).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="generator">The generator.</param>
    /// <returns>The FsCheck generator.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is <see langword="null"/>.</exception>
    public static Gen<T> ToFsCheckGen<T>(this CrdtGen<T> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return from high in Gen.Choose(int.MinValue, int.MaxValue)
               from low in Gen.Choose(int.MinValue, int.MaxValue)
               select generator.Sample(((ulong)(uint)high << 32) | (uint)low);
    }

    /// <summary>Wraps a <see cref="CrdtGen{T}"/> as an FsCheck arbitrary (no shrinking).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="generator">The generator.</param>
    /// <returns>The FsCheck arbitrary.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is <see langword="null"/>.</exception>
    public static Arbitrary<T> ToArbitrary<T>(this CrdtGen<T> generator) => Arb.From(generator.ToFsCheckGen());
}
