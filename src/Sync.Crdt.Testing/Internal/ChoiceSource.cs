using System;
using System.Collections.Generic;

namespace Sync.Crdt.Testing.Internal;

/// <summary>
/// The source of every random decision a generator makes: a sequence of bounded unsigned choices. A fresh source
/// draws them from a seeded pseudo-random stream; a replay source reads them from a recorded sequence (clamped to
/// each draw's bound, zero past its end). Generators map smaller choices to simpler values, so shrinking the
/// recorded sequence (shorter, then smaller) shrinks the generated values: integrated shrinking.
/// </summary>
internal sealed class ChoiceSource
{
    /// <summary>A generated case that draws more than this many choices is abandoned (a runaway generator).</summary>
    public const int MaxChoices = 50_000;

    private readonly ulong[]? _prefix;
    private readonly List<ulong> _recorded = [];
    private ulong _state;

    private ChoiceSource(ulong[]? prefix, ulong seed)
    {
        _prefix = prefix;
        _state = seed;
    }

    /// <summary>The choices drawn so far, in order.</summary>
    public IReadOnlyList<ulong> Recorded => _recorded;

    public static ChoiceSource Random(ulong seed) => new(null, seed);

    public static ChoiceSource Replay(ulong[] choices) => new(choices, 0);

    /// <summary>Draws a choice in [0, <paramref name="max"/>].</summary>
    public ulong Draw(ulong max)
    {
        if (_recorded.Count >= MaxChoices)
        {
            throw new ChoiceOverrunException();
        }

        ulong value;
        if (_prefix is not null)
        {
            value = _recorded.Count < _prefix.Length ? Math.Min(_prefix[_recorded.Count], max) : 0;
        }
        else
        {
            ulong next = NextRandom();
            value = max == ulong.MaxValue ? next : next % (max + 1);
        }

        _recorded.Add(value);
        return value;
    }

    /// <summary>SplitMix64: small, fast and the same on every runtime.</summary>
    private ulong NextRandom()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Mixes values into a seed (for per-property, per-case seeds).</summary>
    public static ulong Mix(ulong seed, ulong value)
    {
        ulong z = seed ^ (value + 0x9E3779B97F4A7C15UL + (seed << 6) + (seed >> 2));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A stable hash of a string (FNV-1a), unlike <see cref="string.GetHashCode()"/>.</summary>
    public static ulong Hash(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}

/// <summary>A generated case drew more than <see cref="ChoiceSource.MaxChoices"/> choices; it is discarded.</summary>
internal sealed class ChoiceOverrunException : Exception
{
    public ChoiceOverrunException()
        : base("The generator drew too many choices.")
    {
    }

    public ChoiceOverrunException(string message)
        : base(message)
    {
    }

    public ChoiceOverrunException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
