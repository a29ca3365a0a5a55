using System;
using Sync.Crdt.Demo;

// Three replicas of a shop: two data centers and a phone. They edit a shopping cart (add-wins OR-Set) and
// count page views (G-Counter), go offline, keep editing, reconnect and converge without losing a write.
var replicas = new[] { new DemoReplica("eu"), new DemoReplica("us"), new DemoReplica("phone") };
DemoReplica eu = replicas[0], us = replicas[1], phone = replicas[2];

void Show(string step)
{
    Console.WriteLine();
    Console.WriteLine($"== {step}");
    foreach (DemoReplica replica in replicas)
    {
        Console.WriteLine("   " + replica.Describe());
    }
}

void FlushAll()
{
    foreach (DemoReplica replica in replicas)
    {
        int shipped = replica.Flush(replicas);
        if (shipped > 0)
        {
            Console.WriteLine($"   {replica.Id} shipped {shipped} delta(s)");
        }
    }
}

eu.AddToCart("milk");
us.AddToCart("eggs");
eu.ViewPage();
us.ViewPage();
phone.ViewPage();
FlushAll();
Show("1. everyone online: milk and eggs in the cart, 3 page views");

phone.Online = false;
Show("2. the phone goes offline (a tunnel)");

phone.RemoveFromCart("eggs");
phone.AddToCart("bread");
phone.ViewPage();
phone.ViewPage();
us.AddToCart("eggs");
us.ViewPage();
eu.RemoveFromCart("milk");
FlushAll();
Show("3. offline edits: the phone removes eggs and adds bread; the US re-adds eggs concurrently; the EU removes milk");

phone.Online = true;
FlushAll();
Show("4. the phone reconnects and ships its queued deltas");

foreach (DemoReplica a in replicas)
{
    foreach (DemoReplica b in replicas)
    {
        a.MergeStateFrom(b);
    }
}

Show("5. the phone missed the deltas shipped while it was offline: one round of full-state anti-entropy repairs that (merge is idempotent, so repeats are harmless)");

bool converged = eu.Cart.Equals(us.Cart) && us.Cart.Equals(phone.Cart) && eu.Views.Equals(us.Views) && us.Views.Equals(phone.Views);
Console.WriteLine();
Console.WriteLine(converged
    ? $"Converged: cart {{{string.Join(", ", eu.Cart)}}}, {eu.Views.Value} page views. The concurrent re-add of eggs won over the phone's remove (add-wins); milk stayed removed."
    : "NOT converged: this is a bug.");
return converged ? 0 : 1;
