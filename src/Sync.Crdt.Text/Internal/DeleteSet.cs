using System;

namespace Sync.Crdt.Text.Internal;

/// <summary>
/// A set of deleted ids: ranges of clocks per client (the delete set of an update, as Yjs's <c>DeleteSet</c> and y-crdt's
/// <c>IdSet</c>). Ranges are collected in any order (<see cref="Add"/> merges a range that continues the previous one) and
/// <see cref="Normalize"/> sorts them by (client, clock) and merges touching and overlapping ranges. Reused between
/// updates (<see cref="Clear"/> keeps the buffer). Not thread-safe.
/// </summary>
internal sealed class DeleteSet
{
    private DeleteRange[] _ranges = new DeleteRange[8];
    private int _count;

    /// <summary>Gets the number of ranges (after <see cref="Normalize"/>, the number of disjoint, non-touching ranges).</summary>
    public int Count => _count;

    /// <summary>Gets the ranges in the order they were added (or normalized order after <see cref="Normalize"/>).</summary>
    public ReadOnlySpan<DeleteRange> Ranges => _ranges.AsSpan(0, _count);

    public void Clear() => _count = 0;

    /// <summary>Adds the clocks [clock, clock + length) of <paramref name="client"/>; length must be at least 1.</summary>
    public void Add(int client, int clock, int length)
    {
        if (_count > 0)
        {
            ref DeleteRange last = ref _ranges[_count - 1];
            if (last.Client == client && last.Clock + last.Length == clock)
            {
                last.Length += length;
                return;
            }
        }

        if (_count == _ranges.Length)
        {
            Array.Resize(ref _ranges, _count * 2);
        }

        _ranges[_count++] = new DeleteRange { Client = client, Clock = clock, Length = length };
    }

    /// <summary>Sorts by (client, clock) and merges touching or overlapping ranges; returns the normalized ranges. O(r log r).</summary>
    public ReadOnlySpan<DeleteRange> Normalize()
    {
        Span<DeleteRange> span = _ranges.AsSpan(0, _count);
        if (span.Length <= 1)
        {
            return span;
        }

        span.Sort(static (a, b) => a.Client != b.Client ? a.Client.CompareTo(b.Client) : a.Clock.CompareTo(b.Clock));
        int used = 0;
        for (int i = 0; i < span.Length; i++)
        {
            if (used > 0 && span[used - 1].Client == span[i].Client && span[used - 1].Clock + span[used - 1].Length >= span[i].Clock)
            {
                int end = Math.Max(span[used - 1].Clock + span[used - 1].Length, span[i].Clock + span[i].Length);
                span[used - 1].Length = end - span[used - 1].Clock;
            }
            else
            {
                span[used++] = span[i];
            }
        }

        _count = used;
        return _ranges.AsSpan(0, used);
    }
}
