namespace Sync.Crdt.Text.Internal;

/// <summary>The origins of an item: the ids left and right of the place it was inserted (client -1: none).</summary>
internal readonly record struct ItemOrigins(int LeftClient, int LeftClock, int RightClient, int RightClock);
