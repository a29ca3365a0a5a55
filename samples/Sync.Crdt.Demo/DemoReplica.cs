using System.Collections.Generic;
using System.Linq;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Sets;

namespace Sync.Crdt.Demo;

/// <summary>
/// One replica in the demo: a shopping cart (add-wins OR-Set) and a page-view counter (G-Counter). Local edits
/// produce deltas, which are queued for the peers; while the replica is offline its outbox just grows.
/// </summary>
internal sealed class DemoReplica(string name)
{
    private readonly List<(ORSet<string> Cart, GCounter Views)> _outbox = [];

    public ReplicaId Id { get; } = new(name);

    public bool Online { get; set; } = true;

    public ORSet<string> Cart { get; private set; } = ORSet<string>.Empty;

    public GCounter Views { get; private set; } = GCounter.Empty;

    public int PendingDeltas => _outbox.Count;

    public void AddToCart(string item)
    {
        Cart = Cart.Add(Id, item, out ORSet<string> delta);
        _outbox.Add((delta, GCounter.Empty));
    }

    public void RemoveFromCart(string item)
    {
        Cart = Cart.Remove(item, out ORSet<string> delta);
        _outbox.Add((delta, GCounter.Empty));
    }

    public void ViewPage()
    {
        Views = Views.Increment(Id, 1, out GCounter delta);
        _outbox.Add((ORSet<string>.Empty, delta));
    }

    /// <summary>Ships every queued delta to the online peers (in order, so each peer sees this replica's causal past first).</summary>
    public int Flush(IEnumerable<DemoReplica> peers)
    {
        if (!Online)
        {
            return 0;
        }

        DemoReplica[] reachable = peers.Where(p => p != this && p.Online).ToArray();
        int shipped = _outbox.Count;
        foreach ((ORSet<string> cart, GCounter views) in _outbox)
        {
            foreach (DemoReplica peer in reachable)
            {
                peer.Cart = peer.Cart.Merge(cart);
                peer.Views = peer.Views.Merge(views);
            }
        }

        _outbox.Clear();
        return shipped;
    }

    /// <summary>Full-state merge, the anti-entropy fallback after a partition: idempotent, so repeating it is harmless.</summary>
    public void MergeStateFrom(DemoReplica other)
    {
        Cart = Cart.Merge(other.Cart);
        Views = Views.Merge(other.Views);
    }

    public string Describe() =>
        $"{Id,-6} {(Online ? "online " : "OFFLINE")}  cart = {{{string.Join(", ", Cart)}}}  page views = {Views.Value}";
}
