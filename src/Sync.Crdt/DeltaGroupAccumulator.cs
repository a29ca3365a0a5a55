using System.Collections.Generic;

namespace Sync.Crdt;

/// <summary>
/// Collects the deltas of a batch of mutations and joins them into one delta group only when asked, pairing
/// neighbours in a balanced tree. Joining each delta into a growing group one at a time costs O(n) per step for
/// tree-shaped states, O(n²) for a batch; the balanced fold costs O(n log n) once.
/// </summary>
/// <typeparam name="T">The CRDT type; its deltas are values of the same type.</typeparam>
/// <remarks>Mutable, not thread-safe: owned by one builder.</remarks>
internal sealed class DeltaGroupAccumulator<T>
    where T : class, IMergeable<T>
{
    private readonly List<T> _deltas = [];
    private readonly T _empty;

    /// <summary>Creates an accumulator whose empty group is <paramref name="empty"/>.</summary>
    public DeltaGroupAccumulator(T empty) => _empty = empty;

    /// <summary>Records one mutation's delta. O(1) amortized.</summary>
    public void Add(T delta) => _deltas.Add(delta);

    /// <summary>Returns the join of every recorded delta (the empty group when none); later calls reuse the result.</summary>
    public T ToGroup()
    {
        if (_deltas.Count == 0)
        {
            return _empty;
        }

        while (_deltas.Count > 1)
        {
            int write = 0;
            for (int read = 0; read < _deltas.Count; read += 2)
            {
                _deltas[write++] = read + 1 < _deltas.Count ? _deltas[read].Merge(_deltas[read + 1]) : _deltas[read];
            }

            _deltas.RemoveRange(write, _deltas.Count - write);
        }

        return _deltas[0];
    }
}
