using System;
using System.Collections.Generic;

namespace Sync.Crdt.Testing;

/// <summary>
/// A law check failed. The message names the law, says what went wrong, lists the shrunk counterexample (the
/// generated values and, for histories, the replicas' steps) and the replay token; set the environment variable
/// <see cref="CrdtCheck.ReplayVariable"/> to the token (or call <see cref="CrdtCheck{T}.WithReplay(string)"/>) to run
/// exactly that case again.
/// </summary>
public sealed class CrdtCheckException : Exception
{
    /// <summary>Creates the exception with a message only (no counterexample).</summary>
    public CrdtCheckException()
        : this("A CRDT law check failed.")
    {
    }

    /// <summary>Creates the exception with a message only (no counterexample).</summary>
    /// <param name="message">The message.</param>
    public CrdtCheckException(string message)
        : this(message, null)
    {
    }

    /// <summary>Creates the exception with a message and the exception the failing case threw.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">What the failing case threw.</param>
    public CrdtCheckException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Law = string.Empty;
        ReplayToken = string.Empty;
        Counterexample = [];
    }

    internal CrdtCheckException(string message, Exception? innerException, string law, string replayToken, ulong seed, IReadOnlyList<KeyValuePair<string, string>> counterexample)
        : base(message, innerException)
    {
        Law = law;
        ReplayToken = replayToken;
        Seed = seed;
        Counterexample = counterexample;
    }

    /// <summary>The failed law's name, for example <c>commutative/values</c>.</summary>
    public string Law { get; }

    /// <summary>The token that replays the shrunk case (the value for <see cref="CrdtCheck.ReplayVariable"/>).</summary>
    public string ReplayToken { get; }

    /// <summary>The seed of the run that found the case.</summary>
    public ulong Seed { get; }

    /// <summary>The shrunk counterexample: each generated value's name and its text.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Counterexample { get; }
}
