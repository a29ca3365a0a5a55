using System;
using Sync.Crdt.Encoding;

namespace Sync.Crdt.Testing;

/// <summary>
/// Entry point of the law checks: <c>CrdtCheck.For&lt;T&gt;().WithValues(gen).WithOperations(…).Run()</c> throws a
/// <see cref="CrdtCheckException"/> with a shrunk counterexample when a law does not hold.
/// </summary>
/// <remarks>
/// Runs are deterministic: each law's cases come from a fixed seed (a hash of the type's name) unless
/// <see cref="SeedVariable"/> or <see cref="CrdtCheck{T}.WithSeed(ulong)"/> says otherwise, so a test fails or passes
/// the same way every time. Thread-safe.
/// </remarks>
public static class CrdtCheck
{
    /// <summary>
    /// Environment variable that overrides the seed of every check (a decimal <see cref="ulong"/>, or <c>random</c>
    /// for a fresh seed per run, to explore).
    /// </summary>
    public const string SeedVariable = "SYNC_CRDT_CHECK_SEED";

    /// <summary>Environment variable holding a replay token from a failure message: the check it names runs that case only.</summary>
    public const string ReplayVariable = "SYNC_CRDT_CHECK_REPLAY";

    /// <summary>A check of any mergeable type; give it values (<see cref="CrdtCheck{T}.WithValues"/>) or operations.</summary>
    /// <typeparam name="T">The type whose <see cref="IMergeable{T}.Merge"/> is checked.</typeparam>
    /// <returns>An unconfigured check.</returns>
    public static CrdtCheck<T> For<T>()
        where T : class, IMergeable<T>, IEquatable<T> => new();

    /// <summary>
    /// A check of a Sync.Crdt type: the empty value (<see cref="ICrdt{TSelf}.Empty"/>) and the binary codec
    /// (<see cref="CrdtCodecs.For{T}(CrdtSerializerOptions)"/>) are set; add values or operations, and JSON options.
    /// </summary>
    /// <typeparam name="T">The CRDT type.</typeparam>
    /// <returns>The check.</returns>
    /// <exception cref="NotSupportedException">An element type of <typeparamref name="T"/> has no binary codec.</exception>
    public static CrdtCheck<T> ForCrdt<T>()
        where T : class, ICrdt<T> =>
        new CrdtCheck<T>().WithEmpty(T.Empty).WithBinaryCodec(CrdtCodecs.For<T>());
}
