using System;
using System.Collections.Generic;
using Sync.Crdt.Testing.Internal;

namespace Sync.Crdt.Testing;

/// <summary>
/// The source of random decisions handed to a generator written with <see cref="CrdtGen.Create{T}(Func{GenContext, T})"/>.
/// Every decision is a bounded choice that the checker records; when a check fails, the checker shrinks the recorded
/// choices (fewer, then smaller) and generates again, so a generator that maps small choices to simple values gets
/// small counterexamples for free. Draws shrink toward their lower bound (<see cref="Int32"/>), <see langword="false"/>
/// (<see cref="Boolean"/>) and the first alternative (<see cref="CrdtGen.OneOf{T}(CrdtGen{T}[])"/>).
/// </summary>
/// <remarks>Not thread-safe: a context belongs to one generated case. Every draw is O(1).</remarks>
public sealed class GenContext
{
    private readonly ChoiceSource _source;
    private readonly List<KeyValuePair<string, string>> _notes = [];

    internal GenContext(ChoiceSource source) => _source = source;

    internal ChoiceSource Source => _source;

    internal IReadOnlyList<KeyValuePair<string, string>> Notes => _notes;

    /// <summary>Draws a raw choice in [0, <paramref name="max"/>]; shrinks toward 0.</summary>
    /// <param name="max">The inclusive upper bound.</param>
    /// <returns>The choice.</returns>
    public ulong Choice(ulong max) => _source.Draw(max);

    /// <summary>Draws an integer in [<paramref name="min"/>, <paramref name="max"/>]; shrinks toward <paramref name="min"/>.</summary>
    /// <param name="min">The inclusive lower bound.</param>
    /// <param name="max">The inclusive upper bound.</param>
    /// <returns>The integer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> is less than <paramref name="min"/>.</exception>
    public int Int32(int min, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        return (int)(min + (long)_source.Draw((ulong)((long)max - min)));
    }

    /// <summary>Draws an integer in [<paramref name="min"/>, <paramref name="max"/>]; shrinks toward <paramref name="min"/>.</summary>
    /// <param name="min">The inclusive lower bound.</param>
    /// <param name="max">The inclusive upper bound.</param>
    /// <returns>The integer.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="max"/> is less than <paramref name="min"/>.</exception>
    public long Int64(long min, long max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        return (long)((ulong)min + _source.Draw((ulong)max - (ulong)min));
    }

    /// <summary>Draws a boolean; shrinks toward <see langword="false"/>.</summary>
    /// <returns>The boolean.</returns>
    public bool Boolean() => _source.Draw(1) == 1;

    /// <summary>Draws a value from another generator (its choices become part of this case).</summary>
    /// <typeparam name="T">The value type.</typeparam>
    /// <param name="generator">The generator.</param>
    /// <returns>The value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> is <see langword="null"/>.</exception>
    public T Draw<T>(CrdtGen<T> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return generator.Generate(this);
    }

    /// <summary>Records a named value for the counterexample report (shown when the case fails).</summary>
    internal void Note(string name, string text) => _notes.Add(new KeyValuePair<string, string>(name, text));
}
