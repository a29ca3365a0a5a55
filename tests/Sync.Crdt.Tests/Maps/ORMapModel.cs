using System.Collections.Generic;
using System.Globalization;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;

namespace Sync.Crdt.Tests.Maps;

/// <summary>
/// A sequential specification of <c>ORMap&lt;string, GCounter&gt;</c> computed from a history of events and their causal
/// pasts, independent of dots, contexts and merges: an update of key k is live in a view unless an event of k (an update or
/// a remove) or a clear in the view has it in its causal past; a key's value is the join of its live updates' values;
/// an update writes (the join of the live updates of its key in its past) incremented by its amount, under
/// <c>replica#n</c> where n continues the lineage of the replica's own live update in its past, or is the update's own
/// counter when there is none.
/// </summary>
internal sealed class ORMapModel
{
    private readonly List<Event> _events = [];
    private readonly Dictionary<ReplicaId, long> _counters = [];

    /// <summary>Records an update by <paramref name="replica"/>, whose view is <paramref name="view"/> (the update is added to it).</summary>
    public void Update(ReplicaId replica, HashSet<int> view, string key, long amount)
    {
        long counter = _counters.GetValueOrDefault(replica) + 1;
        _counters[replica] = counter;
        var past = new HashSet<int>(view);
        long incarnation = counter;
        foreach (int live in Live(past, key))
        {
            if (_events[live].Replica == replica)
            {
                incarnation = _events[live].Incarnation;
            }
        }

        GCounter before = Value(past, key) ?? GCounter.Empty;
        ReplicaId writer = string.Create(CultureInfo.InvariantCulture, $"{replica.Value}#{incarnation}");
        _events.Add(new Event(EventKind.Update, key, replica, past, incarnation, before.Increment(writer, amount)));
        view.Add(_events.Count - 1);
    }

    /// <summary>Records a remove of <paramref name="key"/> (or of every key when <see langword="null"/>) in <paramref name="view"/>.</summary>
    public void Remove(HashSet<int> view, string? key)
    {
        _events.Add(new Event(key is null ? EventKind.Clear : EventKind.Remove, key, default, new HashSet<int>(view), 0, null));
        view.Add(_events.Count - 1);
    }

    /// <summary>Returns the visible map of a view: key → value.</summary>
    public SortedDictionary<string, GCounter> Visible(HashSet<int> view, IEnumerable<string> keys)
    {
        var result = new SortedDictionary<string, GCounter>(System.StringComparer.Ordinal);
        foreach (string key in keys)
        {
            GCounter? value = Value(view, key);
            if (value is not null)
            {
                result[key] = value;
            }
        }

        return result;
    }

    private GCounter? Value(HashSet<int> view, string key)
    {
        GCounter? value = null;
        foreach (int live in Live(view, key))
        {
            value = value is null ? _events[live].Value! : value.Merge(_events[live].Value!);
        }

        return value;
    }

    private List<int> Live(HashSet<int> view, string key)
    {
        var live = new List<int>();
        foreach (int u in view)
        {
            Event update = _events[u];
            if (update.Kind != EventKind.Update || update.Key != key)
            {
                continue;
            }

            bool observed = false;
            foreach (int e in view)
            {
                Event other = _events[e];
                if (e != u && (other.Kind == EventKind.Clear || other.Key == key) && other.Past.Contains(u))
                {
                    observed = true;
                    break;
                }
            }

            if (!observed)
            {
                live.Add(u);
            }
        }

        return live;
    }

    private enum EventKind
    {
        Update,
        Remove,
        Clear,
    }

    private sealed record Event(EventKind Kind, string? Key, ReplicaId Replica, HashSet<int> Past, long Incarnation, GCounter? Value);
}
