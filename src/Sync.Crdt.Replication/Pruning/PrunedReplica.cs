using System;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication.Pruning;

/// <summary>What a replicator remembers of a pruned replica: its marker, and once the marker has left the table, when to forget it.</summary>
internal sealed class PrunedReplica(PruningMarker marker, string element)
{
    public PruningMarker Marker { get; } = marker;

    /// <summary>The marker's element in the table.</summary>
    public string Element { get; } = element;

    /// <summary>The owner's vector right after it published the marker (owner only): every peer acknowledging it has applied the prune.</summary>
    public VersionVector? PublishedAt { get; set; }

    /// <summary>When the marker left the table here; null while it is in the table.</summary>
    public DateTimeOffset? RetiredAt { get; set; }
}
