using System;
using Sync.Crdt.Causality;
using Sync.Crdt.Counters;
using Sync.Crdt.Demo;
using Sync.Crdt.Encoding;
using Sync.Crdt.Replication;
using Sync.Crdt.Replication.Encoding;
using Sync.Crdt.Sets;

// Three replicas of a shop, two data centers and a phone, each with a delta replicator. They share a shopping
// cart (add-wins OR-Set) and a page-view counter (G-Counter), go offline, keep editing, reconnect and converge
// without losing a write. Every message is encoded with the real binary wire format.
DeltaReplicator[] replicas = [new("eu"), new("us"), new("phone")];
DeltaReplicator eu = replicas[0], us = replicas[1], phone = replicas[2];
foreach (DeltaReplicator replica in replicas)
{
    replica.Define("cart", ORSet<string>.Empty);
    replica.Define("views", GCounter.Empty);
    foreach (DeltaReplicator peer in replicas)
    {
        if (peer != replica)
        {
            replica.AddPeer(peer.Replica);
        }
    }
}

var serializer = new ReplicationSerializer(
[
    ReplicatedValueFormat.Create(CrdtCodecs.For<ORSet<string>>()),
    ReplicatedValueFormat.Create(CrdtCodecs.For<GCounter>()),
]);
var network = new SimulatedNetwork(replicas, serializer);

void AddToCart(DeltaReplicator at, string item) =>
    at.Update("cart", (ORSet<string> cart, ReplicaId me, out ORSet<string> delta) => cart.Add(me, item, out delta));

void RemoveFromCart(DeltaReplicator at, string item) =>
    at.Update("cart", (ORSet<string> cart, ReplicaId me, out ORSet<string> delta) => cart.Remove(item, out delta));

void ViewPage(DeltaReplicator at) =>
    at.Update("views", (GCounter views, ReplicaId me, out GCounter delta) => views.Increment(me, 1, out delta));

void Show(string step, string? traffic = null)
{
    Console.WriteLine();
    Console.WriteLine($"== {step}");
    if (traffic is not null)
    {
        Console.WriteLine($"   network: {traffic}");
    }

    foreach (DeltaReplicator replica in replicas)
    {
        string state = network.IsOnline(replica.Replica) ? "online " : "OFFLINE";
        string cart = string.Join(", ", replica.Get<ORSet<string>>("cart"));
        Console.WriteLine($"   {replica.Replica,-6} {state}  cart = {{{cart}}}  page views = {replica.Get<GCounter>("views").Value}");
    }
}

AddToCart(eu, "milk");
AddToCart(us, "eggs");
ViewPage(eu);
ViewPage(us);
ViewPage(phone);
Show("1. everyone online, edits made locally", network.SyncRound());

network.SetOnline(phone.Replica, false);
Show("2. the phone goes offline (a tunnel)");

RemoveFromCart(phone, "eggs");
AddToCart(phone, "bread");
ViewPage(phone);
ViewPage(phone);
AddToCart(us, "eggs");
ViewPage(us);
RemoveFromCart(eu, "milk");
Show("3. offline edits: the phone removes eggs and adds bread; the US re-adds eggs; the EU removes milk", network.SyncRound());

network.SetOnline(phone.Replica, true);
Show("4. the phone reconnects: one round ships only what each side lacks", network.SyncRound());
Show("5. another round: nothing new to ship", network.SyncRound());

ORSet<string> finalCart = eu.Get<ORSet<string>>("cart");
bool converged = true;
foreach (DeltaReplicator replica in replicas)
{
    converged &= replica.Get<ORSet<string>>("cart").Equals(finalCart) && replica.Get<GCounter>("views").Equals(eu.Get<GCounter>("views"));
}

Console.WriteLine();
Console.WriteLine(converged
    ? $"Converged: cart {{{string.Join(", ", finalCart)}}}, {eu.Get<GCounter>("views").Value} page views. The US's concurrent re-add of eggs won over the phone's remove (add-wins); milk stayed removed."
    : "NOT converged: this is a bug.");
return converged ? 0 : 1;
