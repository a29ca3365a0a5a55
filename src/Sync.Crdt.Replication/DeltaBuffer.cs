using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>
/// The recent part of a replicator's delta log: a chain of <see cref="DeltaLogEntry"/>s ending at the replicator's
/// vector, bounded in length, from which delta groups are built. Not thread-safe (the replicator's lock guards it).
/// </summary>
internal sealed class DeltaBuffer
{
    private readonly Queue<DeltaLogEntry> _entries = new();
    private readonly int _bound;
    private VersionVector _top;

    /// <summary>Creates an empty buffer at <paramref name="vector"/> (the replicator's vector).</summary>
    public DeltaBuffer(int bound, VersionVector vector)
    {
        _bound = bound;
        _top = vector;
    }

    /// <summary>Gets the number of entries.</summary>
    public int Count => _entries.Count;

    /// <summary>Gets the vector the chain starts at: a digest must dominate it to be answered with deltas.</summary>
    public VersionVector Floor => _entries.Count > 0 ? _entries.Peek().From : _top;

    /// <summary>Appends the next entry of the chain, then drops the oldest entries beyond the bound.</summary>
    public void Append(DeltaLogEntry entry)
    {
        _entries.Enqueue(entry);
        _top = entry.To;
        while (_entries.Count > _bound)
        {
            _entries.Dequeue();
        }
    }

    /// <summary>Drops entries from the front while every peer holds their events (<paramref name="everyPeerHolds"/> dominates them).</summary>
    public void Forget(VersionVector everyPeerHolds)
    {
        while (_entries.Count > 0 && everyPeerHolds.Dominates(_entries.Peek().To))
        {
            _entries.Dequeue();
        }
    }

    /// <summary>Drops every entry (nobody needs deltas).</summary>
    public void Clear() => _entries.Clear();

    /// <summary>Drops every entry and restarts at <paramref name="vector"/> (a prune rewrote the vector and the values).</summary>
    public void Reset(VersionVector vector)
    {
        _entries.Clear();
        _top = vector;
    }

    /// <summary>
    /// Joins, per key, the deltas of every entry that adds an event <paramref name="digest"/> lacks. The caller
    /// has checked that <paramref name="digest"/> dominates <see cref="Floor"/>. O(entries × replicas) plus the joins.
    /// </summary>
    public ImmutableArray<KeyValuePair<string, ReplicatedValue>> Collect(VersionVector digest)
    {
        var joined = new Dictionary<string, ReplicatedValue>(StringComparer.Ordinal);
        foreach (DeltaLogEntry entry in _entries)
        {
            if (!entry.AddsEventsBeyond(digest))
            {
                continue;
            }

            foreach (KeyValuePair<string, ReplicatedValue> delta in entry.Deltas)
            {
                joined[delta.Key] = joined.TryGetValue(delta.Key, out ReplicatedValue? sofar) ? sofar.Merge(delta.Value) : delta.Value;
            }
        }

        return KeyedValues.Normalize(joined, nameof(digest));
    }
}
