namespace Sync.Crdt.Text.Internal;

/// <summary>
/// One run of consecutive UTF-16 code units inserted by one replica: ids (client, clock) .. (client, clock + length - 1).
/// Stored by value in one array of the document (no object per item); links are indices into that array.
/// </summary>
internal struct ItemRecord
{
    /// <summary>The compact client number of the inserting replica (per document); -1 for a free slot.</summary>
    public int Client;

    /// <summary>The clock of the first code unit.</summary>
    public int Clock;

    /// <summary>The number of code units (always at least 1).</summary>
    public int Length;

    /// <summary>Offset of the content in the document's content buffer, or -1 when deleted (content dropped).</summary>
    public int Content;

    /// <summary>The next item in document order, or -1.</summary>
    public int Right;

    /// <summary>The item holding this client's next clocks (clock + length), or -1.</summary>
    public int NextInClient;

    /// <summary>The index chunk that holds this item.</summary>
    public int Chunk;

    /// <summary>Client of the origin-left id (the code unit left of the insertion), or -1 when inserted at the start.</summary>
    public int OriginLeftClient;

    /// <summary>Clock of the origin-left id.</summary>
    public int OriginLeftClock;

    /// <summary>Client of the origin-right id (the code unit right of the insertion), or -1 when inserted at the end.</summary>
    public int OriginRightClient;

    /// <summary>Clock of the origin-right id.</summary>
    public int OriginRightClock;

    /// <summary>Gets a value indicating whether the item's content was deleted.</summary>
    public readonly bool IsDeleted => Content < 0;

    /// <summary>Gets the number of visible code units (0 when deleted).</summary>
    public readonly int VisibleLength => Content < 0 ? 0 : Length;
}
