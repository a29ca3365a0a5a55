using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Sync.Crdt.Testing.Internal;

/// <summary>A law check failed on the current case; the message says what and why.</summary>
internal sealed class LawViolationException : Exception
{
    public LawViolationException()
    {
    }

    public LawViolationException(string message)
        : base(message)
    {
    }

    public LawViolationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>
/// Runs one law over generated cases: random cases from a per-law seed until one fails, then shrinks the failing
/// case's choice sequence (delete blocks, zero blocks, lower single choices; keep a change when the case still fails
/// and its choices are shortlex-smaller) and throws <see cref="CrdtCheckException"/> with the shrunk case.
/// </summary>
internal static class PropertyRunner
{
    private const int ShrinkBudget = 3000;

    private readonly record struct Outcome(bool Failed, bool Discarded, Exception? Error, ulong[] Choices, IReadOnlyList<KeyValuePair<string, string>> Notes);

    public static void Check(string typeName, string law, Action<GenContext> body, int iterations, ulong seed, string? replayToken)
    {
        ulong[]? replay = ReplayToken.Match(replayToken, typeName, law);
        if (replay is not null)
        {
            Outcome replayed = RunOnce(body, ChoiceSource.Replay(replay));
            if (replayed.Failed)
            {
                throw Report(typeName, law, seed, replayed, "replayed from its token");
            }

            return;
        }

        ulong lawSeed = ChoiceSource.Mix(seed, ChoiceSource.Hash(law));
        int discarded = 0;
        for (int i = 0; i < iterations; i++)
        {
            Outcome outcome = RunOnce(body, ChoiceSource.Random(ChoiceSource.Mix(lawSeed, (ulong)i)));
            if (outcome.Discarded)
            {
                if (++discarded > iterations)
                {
                    throw new CrdtCheckException(string.Create(CultureInfo.InvariantCulture, $"{typeName}: {law}: more than {iterations} generated cases were discarded (a generator draws too much or filters too hard)."));
                }

                continue;
            }

            if (outcome.Failed)
            {
                (Outcome shrunk, int steps) = Shrink(body, outcome);
                throw Report(typeName, law, seed, shrunk, string.Create(CultureInfo.InvariantCulture, $"found after {i + 1} case(s) with seed {seed}, shrunk in {steps} step(s)"));
            }
        }
    }

    private static Outcome RunOnce(Action<GenContext> body, ChoiceSource source)
    {
        var context = new GenContext(source);
        try
        {
            body(context);
            return new Outcome(false, false, null, [.. source.Recorded], context.Notes);
        }
        catch (ChoiceOverrunException)
        {
            return new Outcome(false, true, null, [.. source.Recorded], context.Notes);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new Outcome(true, false, ex, [.. source.Recorded], context.Notes);
        }
    }

    private static (Outcome Best, int Steps) Shrink(Action<GenContext> body, Outcome failing)
    {
        Outcome best = failing;
        int steps = 0;
        int budget = ShrinkBudget;

        bool TryCandidate(ulong[] candidate)
        {
            if (budget-- <= 0)
            {
                return false;
            }

            Outcome outcome = RunOnce(body, ChoiceSource.Replay(candidate));
            if (outcome.Failed && ShortlexLess(outcome.Choices, best.Choices))
            {
                best = outcome;
                steps++;
                return true;
            }

            return false;
        }

        bool improved = true;
        while (improved && budget > 0)
        {
            improved = false;

            // 1. Delete blocks of choices (removes list elements, steps, whole sub-structures).
            foreach (int size in (ReadOnlySpan<int>)[8, 4, 2, 1])
            {
                for (int start = best.Choices.Length - size; start >= 0 && budget > 0; start--)
                {
                    if (start + size > best.Choices.Length)
                    {
                        continue;
                    }

                    ulong[] current = best.Choices;
                    var candidate = new ulong[current.Length - size];
                    Array.Copy(current, 0, candidate, 0, start);
                    Array.Copy(current, start + size, candidate, start, current.Length - start - size);
                    improved |= TryCandidate(candidate);
                }
            }

            // 2. Zero blocks of choices.
            foreach (int size in (ReadOnlySpan<int>)[8, 4, 2])
            {
                for (int start = 0; start + size <= best.Choices.Length && budget > 0; start++)
                {
                    ulong[] candidate = (ulong[])best.Choices.Clone();
                    bool changed = false;
                    for (int k = start; k < start + size; k++)
                    {
                        changed |= candidate[k] != 0;
                        candidate[k] = 0;
                    }

                    if (changed)
                    {
                        improved |= TryCandidate(candidate);
                    }
                }
            }

            // 3. Sort nearby pairs of choices (a smaller choice first is shortlex-smaller).
            for (int i = 0; i < best.Choices.Length && budget > 0; i++)
            {
                for (int j = i + 1; j < Math.Min(i + 8, best.Choices.Length) && budget > 0; j++)
                {
                    if (i < best.Choices.Length && j < best.Choices.Length && best.Choices[i] > best.Choices[j])
                    {
                        ulong[] candidate = (ulong[])best.Choices.Clone();
                        (candidate[i], candidate[j]) = (candidate[j], candidate[i]);
                        improved |= TryCandidate(candidate);
                    }
                }
            }

            // 4. Lower each choice: to zero, else by binary search for the smallest value that still fails.
            for (int index = 0; index < best.Choices.Length && budget > 0; index++)
            {
                ulong value = best.Choices[index];
                if (value == 0)
                {
                    continue;
                }

                ulong low = 0;
                ulong high = value;
                while (low < high && budget > 0 && index < best.Choices.Length)
                {
                    ulong mid = low + ((high - low) / 2);
                    ulong[] candidate = (ulong[])best.Choices.Clone();
                    candidate[index] = mid;
                    if (TryCandidate(candidate))
                    {
                        improved = true;
                        high = index < best.Choices.Length ? Math.Min(mid, best.Choices[index]) : mid;
                    }
                    else
                    {
                        low = mid + 1;
                    }
                }
            }
        }

        return (best, steps);
    }

    private static bool ShortlexLess(ulong[] left, ulong[] right)
    {
        if (left.Length != right.Length)
        {
            return left.Length < right.Length;
        }

        for (int i = 0; i < left.Length; i++)
        {
            if (left[i] != right[i])
            {
                return left[i] < right[i];
            }
        }

        return false;
    }

    private static CrdtCheckException Report(string typeName, string law, ulong seed, Outcome outcome, string how)
    {
        string token = ReplayToken.Create(typeName, law, outcome.Choices);
        string failure = outcome.Error is LawViolationException violation
            ? violation.Message
            : string.Create(CultureInfo.InvariantCulture, $"The case threw {outcome.Error?.GetType().Name}: {outcome.Error?.Message}");
        var message = new StringBuilder()
            .Append(typeName).Append(": law '").Append(law).AppendLine("' does not hold.")
            .AppendLine(failure)
            .Append("Counterexample (").Append(how).AppendLine("):")
            .Append(Display.Lines(outcome.Notes))
            .Append("Replay: set ").Append(CrdtCheck.ReplayVariable).Append('=').Append(token)
            .Append(" (or call WithReplay with it); ").Append(CrdtCheck.SeedVariable).Append('=').Append(seed.ToString(CultureInfo.InvariantCulture))
            .Append(" reruns the search.");
        return new CrdtCheckException(message.ToString(), outcome.Error is LawViolationException ? null : outcome.Error, law, token, seed, outcome.Notes);
    }
}
