using System;

namespace Sync.Crdt.Text.Internal;

/// <summary>Collects deleted ranges and yields them sorted by (client, clock) with adjacent ranges merged.</summary>
internal sealed class DeleteSetBuilder
{
    private DeleteRange[] _ranges = new DeleteRange[8];
    private int _count;

    public int Count => _count;

    public void Clear() => _count = 0;

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

    /// <summary>Sorts by (client, clock) and merges touching or overlapping ranges; returns the normalized ranges.</summary>
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
