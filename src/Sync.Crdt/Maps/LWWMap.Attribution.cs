using System;
using System.Collections.Generic;
using Sync.Crdt.Causality;
using Sync.Crdt.Collections;

namespace Sync.Crdt.Maps;

/// <content>Which replicas a state's writes come from (<see cref="IWriterAttribution{TSelf}"/>).</content>
public sealed partial class LWWMap<TKey, TValue> : IWriterAttribution<LWWMap<TKey, TValue>>
{
    /// <summary>
    /// Adds the replica of every write (put or delete) of this map that would win over <paramref name="known"/>'s
    /// write of the same key, or whose key <paramref name="known"/> has no write for; losing and identical writes add
    /// nothing. O(n log m).
    /// </summary>
    /// <param name="known">The map to compare with; <see langword="null"/> means the empty map.</param>
    /// <param name="writers">Receives the replicas.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writers"/> is <see langword="null"/>.</exception>
    public void CollectNewWriters(LWWMap<TKey, TValue>? known, ISet<ReplicaId> writers)
    {
        ArgumentNullException.ThrowIfNull(writers);
        SortedTree<TKey, LWWWrite>.Enumerator entries = _entries.GetEnumerator();
        while (entries.MoveNext())
        {
            LWWWrite write = entries.CurrentValue;
            if (known is null || !known._entries.TryGetValue(entries.CurrentKey, out LWWWrite? held) || LWWWrite.Decide(write, held) > 0)
            {
                writers.Add(write.Timestamp.Replica);
            }
        }
    }
}
