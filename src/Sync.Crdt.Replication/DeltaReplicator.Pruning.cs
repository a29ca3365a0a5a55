using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using Sync.Crdt.Causality;
using Sync.Crdt.Pruning;
using Sync.Crdt.Replication.Pruning;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Replication;

/// <content>
/// Removed-replica pruning (docs/pruning.md): the owner prunes a removed replica out of every value and its vector and
/// publishes a marker in the replicated table under <see cref="PruningKey"/>; every replica that receives the marker
/// cleans up its own state, refuses the removed replica's messages and cleans up stale data about it on receipt; once
/// every peer acknowledged the prune the owner drops the marker, and each replica forgets the removed replica after
/// <see cref="ReplicatorOptions.PrunedReplicaRetention"/>.
/// </content>
public sealed partial class DeltaReplicator
{
    /// <summary>
    /// The reserved key of the pruning table: an <c>ORSet&lt;string&gt;</c> of performed prunes that replicates like any
    /// value. Do not define it yourself; an encoded transport needs a format for <c>ORSet&lt;string&gt;</c> registered.
    /// </summary>
    public const string PruningKey = "$sync.pruning";

    private readonly Dictionary<ReplicaId, PrunedReplica> _pruned = [];

    /// <summary>
    /// Gets the removed replicas this replicator currently refuses and cleans up after (their markers are in the table,
    /// or left it less than <see cref="ReplicatorOptions.PrunedReplicaRetention"/> ago), in id order. Thread-safe.
    /// </summary>
    public IReadOnlyList<ReplicaId> PrunedReplicas
    {
        get
        {
            lock (_gate)
            {
                var ids = new List<ReplicaId>(_pruned.Keys);
                ids.Sort();
                return ids;
            }
        }
    }

    /// <summary>
    /// Prunes a removed replica, with this replicator as the owner: every value that mentions it is pruned (counters fold
    /// its counts into this replica's entries; dots, contexts and nested ids are renamed into a range this replica
    /// reserves), its entry leaves the vector, and a marker joins the table under <see cref="PruningKey"/>. The whole
    /// change is one local event (its entry is returned; a durable replica persists it like an update's).
    /// </summary>
    /// <param name="removed">The removed replica. It must have stopped writing for good.</param>
    /// <returns>The event's log entry (the pruned values and the table).</returns>
    /// <remarks>
    /// <para>Preconditions, checked: <paramref name="removed"/> is not a peer (call <see cref="RemovePeer"/> first) and
    /// not already pruned; every peer has acknowledged exactly the removed replica's events this replica holds (so every
    /// live replica merged its last state; otherwise sync and call again). Not checked: this replica is the only owner
    /// pruning <paramref name="removed"/> (choose one, for example the lowest live id; a second owner's prune is refused
    /// wherever it meets this one, see docs/pruning.md), and it is peered with every live
    /// replica. O(total size of the values that mention the removed replica). Thread-safe.</para>
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="removed"/> is the default id or this replica's own.</exception>
    /// <exception cref="InvalidOperationException">A precondition does not hold, or <see cref="PruningKey"/> holds another
    /// type; nothing changed.</exception>
    public DeltaLogEntry PruneRemovedReplica(ReplicaId removed)
    {
        if (removed.IsDefault || removed == Replica)
        {
            throw new ArgumentException("The removed replica must be a valid id other than this replica's own.", nameof(removed));
        }

        lock (_gate)
        {
            ThrowIfInMutator();
            if (_peers.Contains(removed))
            {
                throw new InvalidOperationException($"Replica '{removed}' is still a peer; remove it (RemovePeer) before pruning it.");
            }

            if (_pruned.ContainsKey(removed))
            {
                throw new InvalidOperationException($"Replica '{removed}' is already pruned.");
            }

            long last = _vector[removed];
            var lagging = new List<string>();
            foreach (ReplicaId peer in _peers.Ids)
            {
                VersionVector? acknowledged = _peers.Acknowledged(peer);
                if (acknowledged is null || acknowledged[removed] != last)
                {
                    lagging.Add(peer.Value);
                }
            }

            if (lagging.Count > 0)
            {
                lagging.Sort(StringComparer.Ordinal);
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Not every live replica holds replica '{removed}''s last state (this replica holds its events up to {last}); peers {string.Join(", ", lagging)} have not acknowledged exactly that. Sync and try again."));
            }

            ORSet<string> table = Table();
            var plans = new SortedDictionary<string, ReplicaPruning>(StringComparer.Ordinal);
            var changed = new Dictionary<string, ReplicatedValue>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, ReplicatedValue> entry in _values)
            {
                ReplicaPruning? plan = entry.Value.PlanPruning(removed, Replica); // throws before anything changed
                if (plan is not null)
                {
                    plans.Add(entry.Key, plan);
                    changed[entry.Key] = entry.Value.Prune(plan, owner: true);
                }
            }

            if (changed.TryGetValue(PruningKey, out ReplicatedValue? prunedTable))
            {
                table = ((ReplicatedValue<ORSet<string>>)prunedTable).Value;
            }

            var marker = new PruningMarker(removed, Replica, last, plans);
            string element = marker.Encode();
            table = table.Add(Replica, element);
            changed[PruningKey] = new ReplicatedValue<ORSet<string>>(table);
            foreach (KeyValuePair<string, ReplicatedValue> entry in changed)
            {
                _values[entry.Key] = entry.Value;
            }

            ForgetReplicaInClocks(removed);
            VersionVector before = _vector;
            DeltaLogEntry logEntry = DeltaLogEntry.FromCanonical(before, before.Increment(Replica), KeyedValues.Normalize(changed, nameof(removed)));
            Append(logEntry);
            _pruned[removed] = new PrunedReplica(marker, element) { PublishedAt = _vector };
            return logEntry;
        }
    }

    /// <summary>
    /// At a prune's owner: drops the markers of the prunes every peer has acknowledged (each peer's acknowledged vector
    /// covers the prune's event, so it has cleaned up its state) from the table, one local event each; the replicator
    /// keeps refusing and cleaning up after the removed replica for <see cref="ReplicatorOptions.PrunedReplicaRetention"/>.
    /// Call it after sync rounds. Thread-safe.
    /// </summary>
    /// <returns>The log entries of the events (empty when no marker was ready).</returns>
    public IReadOnlyList<DeltaLogEntry> RetireAcknowledgedPruningMarkers()
    {
        lock (_gate)
        {
            ThrowIfInMutator();
            var entries = new List<DeltaLogEntry>();
            foreach (PrunedReplica pruned in _pruned.Values)
            {
                if (pruned.PublishedAt is null || pruned.RetiredAt is not null || !EveryPeerAcknowledged(pruned.PublishedAt))
                {
                    continue;
                }

                ORSet<string> table = Table().Remove(pruned.Element, out ORSet<string> delta);
                var value = new ReplicatedValue<ORSet<string>>(table);
                entries.Add(RecordLocalEvent(PruningKey, value, new ReplicatedValue<ORSet<string>>(delta)));
                pruned.RetiredAt = _options.TimeProvider.GetUtcNow();
            }

            return entries;
        }
    }

    private bool EveryPeerAcknowledged(VersionVector published)
    {
        foreach (ReplicaId peer in _peers.Ids)
        {
            if (_peers.Acknowledged(peer) is not { } acknowledged || !acknowledged.Dominates(published))
            {
                return false;
            }
        }

        return true;
    }

    private ORSet<string> Table()
    {
        if (!_values.TryGetValue(PruningKey, out ReplicatedValue? value))
        {
            return ORSet<string>.Empty;
        }

        return value is ReplicatedValue<ORSet<string>> typed
            ? typed.Value
            : throw new InvalidOperationException($"Key '{PruningKey}' is reserved for the pruning table but holds a {value.ValueType.Name}.");
    }

    private void ForgetReplicaInClocks(ReplicaId removed)
    {
        _vector = _vector.DropReplica(removed);
        _peers.DropReplica(removed);
        _buffer.Reset(_vector);
    }

    /// <summary>
    /// Before a message is processed: refuses a pruned replica's own messages and any data with its events beyond the
    /// prune, learns the markers the message carries (cleaning up this replica's state with them), and returns the
    /// message with stale data about pruned replicas cleaned up. Throws before anything changed.
    /// </summary>
    private ReplicationMessage PrepareForPruning(ReplicationMessage message)
    {
        if (_pruned.TryGetValue(message.Sender, out PrunedReplica? sender))
        {
            throw new ReplicationProtocolException($"Replica '{message.Sender}' was removed and pruned into '{sender.Marker.Owner}'; its messages are refused. A replica that comes back must rejoin under a fresh id with a fresh state.");
        }

        ImmutableArray<KeyValuePair<string, ReplicatedValue>> values = message switch
        {
            DeltaGroupMessage group => group.Deltas,
            FullStateMessage full => full.Values,
            _ => [],
        };

        // Markers the message teaches this replica.
        var learned = new List<PrunedReplica>();
        foreach (KeyValuePair<string, ReplicatedValue> entry in values)
        {
            if (entry.Key == PruningKey && entry.Value is ReplicatedValue<ORSet<string>> table)
            {
                foreach (string element in table.Value)
                {
                    if (PruningMarker.TryDecode(element) is not { } marker)
                    {
                        continue;
                    }

                    PrunedReplica? known = _pruned.GetValueOrDefault(marker.Removed) ?? learned.Find(p => p.Marker.Removed == marker.Removed);
                    if (known is not null)
                    {
                        ThrowIfConflictingPrune(known, marker, element);
                        continue;
                    }

                    if (marker.Removed == Replica)
                    {
                        throw new ReplicationProtocolException($"This replica ('{Replica}') was declared removed and pruned into '{marker.Owner}'; it must stop and rejoin under a fresh id with a fresh state.");
                    }

                    learned.Add(new PrunedReplica(marker, element));
                }
            }
        }

        if (_pruned.Count == 0 && learned.Count == 0)
        {
            return message;
        }

        var markers = new List<PruningMarker>(_pruned.Count + learned.Count);
        foreach (PrunedReplica pruned in _pruned.Values)
        {
            markers.Add(pruned.Marker);
        }

        foreach (PrunedReplica pruned in learned)
        {
            markers.Add(pruned.Marker);
        }

        // Clean up the message (stale data about pruned replicas) and, for learned markers, this replica's own state.
        ReplicationMessage cleaned = message switch
        {
            DigestMessage digest => new DigestMessage(digest.Sender, CleanVector(digest.Vector, markers)),
            DeltaGroupMessage group => new DeltaGroupMessage(group.Sender, CleanVector(group.Base, markers), CleanVector(group.Top, markers), CleanValues(group.Deltas, markers)),
            FullStateMessage full => new FullStateMessage(full.Sender, CleanVector(full.Vector, markers), CleanValues(full.Values, markers)),
            _ => message,
        };
        var ownLearned = new List<PruningMarker>(learned.Count);
        foreach (PrunedReplica pruned in learned)
        {
            ownLearned.Add(pruned.Marker);
        }

        VersionVector vector = CleanVector(_vector, ownLearned);
        var own = new List<KeyValuePair<string, ReplicatedValue>>();
        foreach (KeyValuePair<string, ReplicatedValue> entry in _values)
        {
            ReplicatedValue value = CleanValue(entry.Key, entry.Value, ownLearned);
            if (!ReferenceEquals(value, entry.Value))
            {
                own.Add(new KeyValuePair<string, ReplicatedValue>(entry.Key, value));
            }
        }

        // Commit: nothing below throws.
        foreach (KeyValuePair<string, ReplicatedValue> entry in own)
        {
            _values[entry.Key] = entry.Value;
        }

        foreach (PrunedReplica pruned in learned)
        {
            _pruned[pruned.Marker.Removed] = pruned;
            _peers.Remove(pruned.Marker.Removed); // its messages are refused from now on
            _peers.DropReplica(pruned.Marker.Removed);
        }

        if (learned.Count > 0)
        {
            _vector = vector;
            _buffer.Reset(_vector);
        }

        return cleaned;
    }

    /// <summary>
    /// The single-owner guard: two different prunes of one removed replica (two owners, or two plans) must never meet in
    /// one state, since each already folded the removed replica's counts into its own entries (merging both would count
    /// them twice). The message carrying the second one is refused before anything changes.
    /// </summary>
    private static void ThrowIfConflictingPrune(PrunedReplica known, PruningMarker marker, string element)
    {
        if (string.Equals(known.Element, element, StringComparison.Ordinal))
        {
            return;
        }

        string owners = known.Marker.Owner == marker.Owner
            ? $"twice by '{marker.Owner}' with different plans"
            : $"by two owners, '{known.Marker.Owner}' (known here) and '{marker.Owner}' (in this message)";
        throw new ReplicationProtocolException($"Replica '{marker.Removed}' was pruned {owners}; each owner folded its counts into its own entries, so merging both prunes would count them twice. The message is refused. Only one replica may prune a removed replica (see docs/pruning.md, \"Two owners\"): rebuild the replicas that hold the other prune from this side (fresh ids, fresh states).");
    }

    private static VersionVector CleanVector(VersionVector vector, List<PruningMarker> markers)
    {
        foreach (PruningMarker marker in markers)
        {
            long events = vector[marker.Removed];
            if (events > marker.LastEvent)
            {
                throw new ReplicationProtocolException(string.Create(CultureInfo.InvariantCulture, $"The message holds event {events} of replica '{marker.Removed}', which was pruned after its event {marker.LastEvent}: the removed replica kept writing, and its later writes are refused."));
            }

            vector = vector.DropReplica(marker.Removed);
        }

        return vector;
    }

    private static ImmutableArray<KeyValuePair<string, ReplicatedValue>> CleanValues(ImmutableArray<KeyValuePair<string, ReplicatedValue>> values, List<PruningMarker> markers)
    {
        ImmutableArray<KeyValuePair<string, ReplicatedValue>>.Builder? builder = null;
        for (int i = 0; i < values.Length; i++)
        {
            ReplicatedValue value = CleanValue(values[i].Key, values[i].Value, markers);
            if (!ReferenceEquals(value, values[i].Value) && builder is null)
            {
                builder = values.ToBuilder();
            }

            if (builder is not null)
            {
                builder[i] = new KeyValuePair<string, ReplicatedValue>(values[i].Key, value);
            }
        }

        return builder is null ? values : builder.MoveToImmutable();
    }

    private static ReplicatedValue CleanValue(string key, ReplicatedValue value, List<PruningMarker> markers)
    {
        foreach (PruningMarker marker in markers)
        {
            if (marker.Plans.TryGetValue(key, out ReplicaPruning? plan))
            {
                try
                {
                    value = value.Prune(plan, owner: false);
                }
                catch (ArgumentException error)
                {
                    throw new ReplicationProtocolException($"Key '{key}': {error.Message}", error);
                }
            }
        }

        return value;
    }

    /// <summary>After a merge: markers that left the table here start their retention time.</summary>
    private void NoteRetiredPruningMarkers()
    {
        if (_pruned.Count == 0)
        {
            return;
        }

        ORSet<string> table = Table();
        foreach (PrunedReplica pruned in _pruned.Values)
        {
            if (pruned.RetiredAt is null && !table.Contains(pruned.Element))
            {
                pruned.RetiredAt = _options.TimeProvider.GetUtcNow();
            }
        }
    }

    private void ForgetExpiredPrunedReplicas()
    {
        if (_pruned.Count == 0)
        {
            return;
        }

        DateTimeOffset now = _options.TimeProvider.GetUtcNow();
        var expired = new List<ReplicaId>();
        foreach (KeyValuePair<ReplicaId, PrunedReplica> entry in _pruned)
        {
            if (entry.Value.RetiredAt is { } retired && now - retired >= _options.PrunedReplicaRetention)
            {
                expired.Add(entry.Key);
            }
        }

        foreach (ReplicaId id in expired)
        {
            _pruned.Remove(id);
        }
    }

    /// <summary>After a restore: remembers the markers the restored table holds (their prunes are already in the state).</summary>
    private void RememberTableMarkers()
    {
        if (!_values.TryGetValue(PruningKey, out ReplicatedValue? value) || value is not ReplicatedValue<ORSet<string>> table)
        {
            return;
        }

        foreach (string element in table.Value)
        {
            if (PruningMarker.TryDecode(element) is { } marker && marker.Removed != Replica)
            {
                _pruned[marker.Removed] = new PrunedReplica(marker, element);
            }
        }
    }

    /// <summary>The removed replicas whose markers a restored state's table holds.</summary>
    private static HashSet<ReplicaId> PrunedIn(Dictionary<string, ReplicatedValue> values)
    {
        var pruned = new HashSet<ReplicaId>();
        if (values.TryGetValue(PruningKey, out ReplicatedValue? value) && value is ReplicatedValue<ORSet<string>> table)
        {
            foreach (string element in table.Value)
            {
                if (PruningMarker.TryDecode(element) is { } marker)
                {
                    pruned.Add(marker.Removed);
                }
            }
        }

        return pruned;
    }

    /// <summary>Whether <paramref name="from"/> is <paramref name="previous"/> without some replicas (a prune between two log entries); records them.</summary>
    private static bool IsPrunedContinuation(VersionVector previous, VersionVector from, HashSet<ReplicaId> pruned)
    {
        if (from.Count >= previous.Count)
        {
            return false;
        }

        foreach (Dot entry in from)
        {
            if (previous[entry.Replica] != entry.Counter)
            {
                return false;
            }
        }

        foreach (Dot entry in previous)
        {
            if (from[entry.Replica] == 0)
            {
                pruned.Add(entry.Replica);
            }
        }

        return true;
    }

    private static VersionVector DropAll(VersionVector vector, HashSet<ReplicaId> pruned)
    {
        foreach (ReplicaId id in pruned)
        {
            vector = vector.DropReplica(id);
        }

        return vector;
    }

    /// <summary>Replaying a log: a marker an entry brings that the state has not applied yet cleans up the state before the entry joins it.</summary>
    private static void ApplyLoggedPrunes(Dictionary<string, ReplicatedValue> values, ImmutableArray<KeyValuePair<string, ReplicatedValue>> deltas, HashSet<ReplicaId> pruned)
    {
        foreach (KeyValuePair<string, ReplicatedValue> delta in deltas)
        {
            if (delta.Key != PruningKey || delta.Value is not ReplicatedValue<ORSet<string>> table)
            {
                continue;
            }

            foreach (string element in table.Value)
            {
                if (PruningMarker.TryDecode(element) is not { } marker || (values.TryGetValue(PruningKey, out ReplicatedValue? held) && held is ReplicatedValue<ORSet<string>> heldTable && heldTable.Value.Contains(element)))
                {
                    continue;
                }

                pruned.Add(marker.Removed);
                foreach (KeyValuePair<string, ReplicaPruning> plan in marker.Plans)
                {
                    if (values.TryGetValue(plan.Key, out ReplicatedValue? value))
                    {
                        values[plan.Key] = value.Prune(plan.Value, owner: false);
                    }
                }
            }
        }
    }
}
