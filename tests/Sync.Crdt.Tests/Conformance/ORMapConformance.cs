using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Maps;
using Sync.Crdt.Sets;
using Sync.Crdt.Testing;
using Sync.Crdt.TestSupport.Conformance;

namespace Sync.Crdt.Tests.Conformance;

public enum NestedOpKind
{
    Update,
    Remove,
    Clear,
}

/// <summary>
/// A map operation: an update of <see cref="Key"/> with a nested operation (a counter: +/- <see cref="Amount"/>; a set:
/// add or remove <see cref="Element"/>), a remove of the key, or a clear.
/// </summary>
public sealed record NestedMapOp(NestedOpKind Kind, string Key, bool Negative, long Amount, int Element)
{
    public override string ToString() => Kind switch
    {
        NestedOpKind.Update => $"update {Key} ({(Negative ? "-" : "+")}{Amount.ToString(CultureInfo.InvariantCulture)} / {(Negative ? "remove" : "add")} {Element.ToString(CultureInfo.InvariantCulture)})",
        NestedOpKind.Remove => "remove " + Key,
        _ => "clear",
    };

    public static CrdtGen<NestedMapOp> Generator =>
        from kind in CrdtGen.Frequency((6, CrdtGen.Constant(NestedOpKind.Update)), (2, CrdtGen.Constant(NestedOpKind.Remove)), (1, CrdtGen.Constant(NestedOpKind.Clear)))
        from key in CrdtGen.Elements("k", "l", "m")
        from negative in CrdtGen.Boolean()
        from amount in CrdtGen.Int64(1, 100)
        from element in CrdtGen.Int32(0, 3)
        select new NestedMapOp(kind, key, negative, amount, element);
}

/// <summary>
/// The causal specification of an <see cref="ORMap{TKey, TValue}"/> (the rule in its remarks), independent of dots and
/// contexts. An update u of key k is live in a view unless a seen update or remove of k, or a clear, had u in its causal
/// past. The updates u builds upon (its contributors) are u and the contributors of the updates of k live in u's past;
/// a key is present iff it has a live update, and its value is made of the nested operations of the contributors of its
/// live updates. A nested operation that changes nothing (removing an absent element) is no update at all.
/// </summary>
internal sealed class NestedMapModel
{
    private readonly IReadOnlyList<CrdtEvent<NestedMapOp>> _seen;
    private readonly Func<NestedMapModel, IReadOnlyCollection<CrdtEvent<NestedMapOp>>, CrdtEvent<NestedMapOp>, bool> _changes;
    private readonly Dictionary<int, HashSet<int>> _contributors = [];
    private readonly Dictionary<int, CrdtEvent<NestedMapOp>> _byIndex;

    /// <param name="seen">The events seen, in causal order.</param>
    /// <param name="changes">Whether an update changes the nested value made of the given contributors (earlier updates' contributors are known).</param>
    public NestedMapModel(IReadOnlyList<CrdtEvent<NestedMapOp>> seen, Func<NestedMapModel, IReadOnlyCollection<CrdtEvent<NestedMapOp>>, CrdtEvent<NestedMapOp>, bool> changes)
    {
        _seen = seen;
        _changes = changes;
        _byIndex = seen.ToDictionary(e => e.Index);
        foreach (CrdtEvent<NestedMapOp> e in seen)
        {
            if (e.Operation.Kind == NestedOpKind.Update)
            {
                HashSet<int> before = Contributors(e.CausalPast, e.Operation.Key);
                if (_changes(this, before.Select(i => _byIndex[i]).ToList(), e))
                {
                    before.Add(e.Index);
                    _contributors[e.Index] = before;
                }
            }
        }
    }

    /// <summary>The contributors of <paramref name="e"/> (an effective update), itself included.</summary>
    public IReadOnlySet<int> ContributorsOf(CrdtEvent<NestedMapOp> e) => _contributors[e.Index];

    /// <summary>Key → the events making its value, for the keys present after every seen event.</summary>
    public SortedDictionary<string, List<CrdtEvent<NestedMapOp>>> Present()
    {
        var view = new HashSet<int>(_seen.Select(e => e.Index));
        var result = new SortedDictionary<string, List<CrdtEvent<NestedMapOp>>>(StringComparer.Ordinal);
        foreach (string key in _seen.Select(e => e.Operation.Key).Distinct())
        {
            if (Live(view, key).Count > 0)
            {
                result[key] = Contributors(view, key).Order().Select(i => _byIndex[i]).ToList();
            }
        }

        return result;
    }

    private HashSet<int> Contributors(IReadOnlySet<int> view, string key)
    {
        var result = new HashSet<int>();
        foreach (int live in Live(view, key))
        {
            result.UnionWith(_contributors[live]);
        }

        return result;
    }

    private List<int> Live(IReadOnlySet<int> view, string key)
    {
        var live = new List<int>();
        foreach (int u in view)
        {
            if (!_contributors.ContainsKey(u) || _byIndex[u].Operation.Key != key)
            {
                continue;
            }

            bool observed = view.Any(i => i != u
                                          && _byIndex.TryGetValue(i, out CrdtEvent<NestedMapOp>? other)
                                          && other.CausalPast.Contains(u)
                                          && (other.Operation.Kind == NestedOpKind.Clear
                                              || (other.Operation.Key == key && (other.Operation.Kind == NestedOpKind.Remove || _contributors.ContainsKey(i)))));
            if (!observed)
            {
                live.Add(u);
            }
        }

        return live;
    }
}

/// <summary>A map of nested counters (a shopping cart): concurrent increments of one key both count.</summary>
public sealed class ORMapOfCountersConformance : CrdtConformance<ORMap<string, PNCounter>, NestedMapOp>
{
    protected override CrdtGen<NestedMapOp> Operations => NestedMapOp.Generator;

    /// <summary>The pinned sample (golden file <c>ormap-of-pncounters</c>).</summary>
    internal static ORMap<string, PNCounter> Sample =>
        ORMap<string, PNCounter>.Empty
            .Update("a", "apple", (PNCounter c, ReplicaId r, out PNCounter d) => c.Increment(r, 3, out d))
            .Merge(ORMap<string, PNCounter>.Empty.Update("b", "apple", (PNCounter c, ReplicaId r, out PNCounter d) => c.Decrement(r, 1, out d)))
            .Update("a", "pear", (PNCounter c, ReplicaId r, out PNCounter d) => c.Increment(r, 2, out d))
            .Remove("pear");

    protected override ORMap<string, PNCounter> GoldenValue => Sample;

    protected override byte[] GoldenBytes => GoldenFiles.Bytes("ormap-of-pncounters");

    protected override ORMap<string, PNCounter> Apply(ORMap<string, PNCounter> state, ReplicaId replica, NestedMapOp operation, out ORMap<string, PNCounter> delta) =>
        operation.Kind switch
        {
            NestedOpKind.Update => state.Update(
                replica,
                operation.Key,
                (PNCounter c, ReplicaId r, out PNCounter d) => operation.Negative ? c.Decrement(r, operation.Amount, out d) : c.Increment(r, operation.Amount, out d),
                out delta),
            NestedOpKind.Remove => state.Remove(operation.Key, out delta),
            _ => state.Clear(out delta),
        };

    protected override object? Observe(ORMap<string, PNCounter> state) => state.Select(entry => (entry.Key, entry.Value.Value)).ToList();

    /// <summary>Per present key, the sum of the nested increments and decrements its live updates build upon.</summary>
    protected override object? Model(IReadOnlyList<CrdtEvent<NestedMapOp>> seen) =>
        new NestedMapModel(seen, (_, _, _) => true).Present()
            .Select(entry => (entry.Key, entry.Value.Sum(e => e.Operation.Negative ? -e.Operation.Amount : e.Operation.Amount)))
            .ToList();
}

/// <summary>A map of nested observed-remove sets (a board of columns): nested adds and removes under map-level removes.</summary>
public sealed class ORMapOfSetsConformance : CrdtConformance<ORMap<string, ORSet<int>>, NestedMapOp>
{
    protected override CrdtGen<NestedMapOp> Operations => NestedMapOp.Generator;

    /// <summary>The pinned sample (golden file <c>ormap-of-int-sets</c>).</summary>
    internal static ORMap<string, ORSet<int>> Sample =>
        ORMap<string, ORSet<int>>.Empty
            .Update("a", "todo", (ORSet<int> s, ReplicaId r, out ORSet<int> d) => s.Add(r, 1, out d))
            .Update("a", "todo", (ORSet<int> s, ReplicaId r, out ORSet<int> d) => s.Add(r, 2, out d))
            .Merge(ORMap<string, ORSet<int>>.Empty.Update("b", "done", (ORSet<int> s, ReplicaId r, out ORSet<int> d) => s.Add(r, 7, out d)))
            .Update("a", "todo", (ORSet<int> s, ReplicaId r, out ORSet<int> d) => s.Remove(1, out d));

    protected override ORMap<string, ORSet<int>> GoldenValue => Sample;

    protected override byte[] GoldenBytes => GoldenFiles.Bytes("ormap-of-int-sets");

    protected override ORMap<string, ORSet<int>> Apply(ORMap<string, ORSet<int>> state, ReplicaId replica, NestedMapOp operation, out ORMap<string, ORSet<int>> delta) =>
        operation.Kind switch
        {
            NestedOpKind.Update => state.Update(
                replica,
                operation.Key,
                (ORSet<int> s, ReplicaId r, out ORSet<int> d) => operation.Negative ? s.Remove(operation.Element, out d) : s.Add(r, operation.Element, out d),
                out delta),
            NestedOpKind.Remove => state.Remove(operation.Key, out delta),
            _ => state.Clear(out delta),
        };

    protected override object? Observe(ORMap<string, ORSet<int>> state) => state.Select(entry => (entry.Key, string.Join(",", entry.Value.Order()))).ToList();

    /// <summary>
    /// Per present key, the elements added by a contributor of its live updates and not removed by a contributor that
    /// built upon that add (a nested remove of an element absent from the value it saw changes nothing).
    /// </summary>
    protected override object? Model(IReadOnlyList<CrdtEvent<NestedMapOp>> seen)
    {
        var model = new NestedMapModel(seen, (m, before, e) => !e.Operation.Negative || Elements(m, before).Contains(e.Operation.Element));
        return model.Present().Select(entry => (entry.Key, string.Join(",", Elements(model, entry.Value)))).ToList();
    }

    private static List<int> Elements(NestedMapModel model, IReadOnlyCollection<CrdtEvent<NestedMapOp>> contributors) =>
        contributors
            .Where(add => !add.Operation.Negative
                          && !contributors.Any(remove => remove.Operation.Negative
                                                         && remove.Operation.Element == add.Operation.Element
                                                         && remove != add
                                                         && model.ContributorsOf(remove).Contains(add.Index)))
            .Select(add => add.Operation.Element)
            .Distinct()
            .Order()
            .ToList();
}
