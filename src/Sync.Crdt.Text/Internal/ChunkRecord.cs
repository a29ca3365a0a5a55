namespace Sync.Crdt.Text.Internal;

/// <summary>
/// A block of consecutive items in document order with cached counts: the index that turns a text index into an
/// item without scanning the whole document (a two-level "square root" decomposition of the item list).
/// </summary>
internal struct ChunkRecord
{
    /// <summary>The first item of the chunk.</summary>
    public int First;

    /// <summary>How many items the chunk holds (1 .. <c>MaxChunkItems</c>).</summary>
    public int Count;

    /// <summary>The number of visible code units in the chunk's items.</summary>
    public int Visible;

    /// <summary>The chunk's position in the document's chunk order.</summary>
    public int Ordinal;
}
