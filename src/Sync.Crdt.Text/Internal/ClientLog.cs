using Sync.Crdt.Causality;

namespace Sync.Crdt.Text.Internal;

/// <summary>
/// What a document knows of one replica: its id, the next clock it expects, and its items in clock order (a linked
/// chain through <see cref="ItemRecord.NextInClient"/> plus a lazily rebuilt sorted array for binary search).
/// </summary>
internal sealed class ClientLog
{
    public ClientLog(ReplicaId replica)
    {
        Replica = replica;
        Utf8Id = System.Text.Encoding.UTF8.GetBytes(replica.Value);
    }

    /// <summary>Gets the replica id's UTF-8 bytes, as written in update replica tables.</summary>
    public byte[] Utf8Id { get; }

    /// <summary>Gets the replica.</summary>
    public ReplicaId Replica { get; }

    /// <summary>The next clock expected from this replica: all clocks below it are integrated.</summary>
    public int Next;

    /// <summary>The item holding clock 0, or -1.</summary>
    public int First = -1;

    /// <summary>The item holding clock <see cref="Next"/> - 1, or -1.</summary>
    public int Last = -1;

    /// <summary>Some of the client's items in clock order (not necessarily all: splits add items only to the chain).</summary>
    public int[] Sorted = [];

    /// <summary>The number of used entries in <see cref="Sorted"/>.</summary>
    public int SortedCount;

    /// <summary>Whether <see cref="Sorted"/> must be rebuilt from the chain before the next lookup.</summary>
    public bool Stale = true;
}
