using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Sync.Crdt.Causality;
using Sync.Crdt.Pruning;

namespace Sync.Crdt.Replication.Pruning;

/// <summary>
/// One performed prune as the replicator disseminates it: the removed replica, the owner, the removed replica's last
/// replicator event the owner held, and the owner's plan for each key it pruned. Encoded as one element of the
/// <c>ORSet&lt;string&gt;</c> under <see cref="DeltaReplicator.PruningKey"/> (length-prefixed fields, so any key text
/// round-trips).
/// </summary>
internal sealed class PruningMarker
{
    private const string Version = "p1";

    public PruningMarker(ReplicaId removed, ReplicaId owner, long lastEvent, SortedDictionary<string, ReplicaPruning> plans)
    {
        Removed = removed;
        Owner = owner;
        LastEvent = lastEvent;
        Plans = plans;
    }

    public ReplicaId Removed { get; }

    public ReplicaId Owner { get; }

    public long LastEvent { get; }

    public SortedDictionary<string, ReplicaPruning> Plans { get; }

    public string Encode()
    {
        var text = new StringBuilder(Version);
        Field(text, Removed.Value);
        Field(text, Owner.Value);
        Field(text, LastEvent.ToString(CultureInfo.InvariantCulture));
        foreach (KeyValuePair<string, ReplicaPruning> plan in Plans)
        {
            Field(text, plan.Key);
            Field(text, plan.Value.Offset.ToString(CultureInfo.InvariantCulture));
            Field(text, plan.Value.LastCounter.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    /// <summary>Decodes an element; <see langword="null"/> when it is not a marker this version reads.</summary>
    public static PruningMarker? TryDecode(string element)
    {
        if (!element.StartsWith(Version, StringComparison.Ordinal))
        {
            return null;
        }

        var fields = new List<string>();
        int at = Version.Length;
        while (at < element.Length)
        {
            int colon = element.IndexOf(':', at);
            if (colon < 0 || !int.TryParse(element.AsSpan(at, colon - at), NumberStyles.None, CultureInfo.InvariantCulture, out int length)
                || length > element.Length - colon - 1)
            {
                return null;
            }

            fields.Add(element.Substring(colon + 1, length));
            at = colon + 1 + length;
        }

        if (fields.Count < 3 || (fields.Count - 3) % 3 != 0
            || !ReplicaId.TryParse(fields[0], out ReplicaId removed) || !ReplicaId.TryParse(fields[1], out ReplicaId owner) || removed == owner
            || !long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out long lastEvent))
        {
            return null;
        }

        var plans = new SortedDictionary<string, ReplicaPruning>(StringComparer.Ordinal);
        for (int i = 3; i < fields.Count; i += 3)
        {
            if (!long.TryParse(fields[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out long offset)
                || !long.TryParse(fields[i + 2], NumberStyles.None, CultureInfo.InvariantCulture, out long last)
                || offset > long.MaxValue - last
                || !plans.TryAdd(fields[i], new ReplicaPruning(removed, owner, offset, last)))
            {
                return null;
            }
        }

        return new PruningMarker(removed, owner, lastEvent, plans);
    }

    private static void Field(StringBuilder text, string value) =>
        text.Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value);
}
