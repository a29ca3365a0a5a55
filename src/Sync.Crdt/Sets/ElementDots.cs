using System;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Sets;

/// <summary>
/// Operations on the dots that keep one element of an <see cref="ORSet{T}"/> alive: non-empty arrays sorted by
/// <see cref="Dot"/> order, never mutated once stored.
/// </summary>
internal static class ElementDots
{
    /// <summary>Returns whether both arrays hold the same dots.</summary>
    public static bool SequenceEqual(Dot[] left, Dot[] right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left.Length != right.Length)
        {
            return false;
        }

        for (int i = 0; i < left.Length; i++)
        {
            // Counters first: cheap, and they differ far more often than replicas.
            if (left[i].Counter != right[i].Counter || left[i].Replica != right[i].Replica)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Returns the dots of <paramref name="dots"/> that <paramref name="context"/> does not hold: <paramref name="dots"/>
    /// itself when none is held, <see langword="null"/> when all are.
    /// </summary>
    public static Dot[]? Unseen(Dot[] dots, CausalContext context)
    {
        if (dots.Length == 1)
        {
            return context.Contains(dots[0]) ? null : dots;
        }

        int kept = 0;
        Span<bool> seen = dots.Length <= 64 ? stackalloc bool[dots.Length] : new bool[dots.Length];
        for (int i = 0; i < dots.Length; i++)
        {
            seen[i] = context.Contains(dots[i]);
            if (!seen[i])
            {
                kept++;
            }
        }

        if (kept == dots.Length)
        {
            return dots;
        }

        if (kept == 0)
        {
            return null;
        }

        var result = new Dot[kept];
        int n = 0;
        for (int i = 0; i < dots.Length; i++)
        {
            if (!seen[i])
            {
                result[n++] = dots[i];
            }
        }

        return result;
    }

    /// <summary>
    /// The observed-remove join of one element's dots: dots on both sides survive; a dot on one side survives
    /// unless the other side's context holds it (the other side saw it and removed it). Returns an empty array when
    /// nothing survives.
    /// </summary>
    public static Dot[] Join(Dot[] left, CausalContext leftContext, Dot[] right, CausalContext rightContext)
    {
        var result = new Dot[left.Length + right.Length];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < left.Length || j < right.Length)
        {
            int c = i == left.Length ? 1 : j == right.Length ? -1 : left[i].CompareTo(right[j]);
            if (c == 0)
            {
                result[n++] = left[i];
                i++;
                j++;
            }
            else if (c < 0)
            {
                if (!rightContext.Contains(left[i]))
                {
                    result[n++] = left[i];
                }

                i++;
            }
            else
            {
                if (!leftContext.Contains(right[j]))
                {
                    result[n++] = right[j];
                }

                j++;
            }
        }

        return n == result.Length ? result : result.AsSpan(0, n).ToArray();
    }
}
