namespace Sync.Crdt.Text.Internal;

/// <summary>
/// An item received in an update and not yet integrated. Client numbers are indices into the update's replica table
/// while decoding and the document's compact client numbers afterwards.
/// </summary>
internal struct RemoteItem
{
    public int Client;
    public int Clock;
    public int Length;
    public int OriginLeftClient;
    public int OriginLeftClock;
    public int OriginRightClient;
    public int OriginRightClock;

    /// <summary>The decoded content of the whole update (shared by its items), or <see langword="null"/> when deleted.</summary>
    public string? Content;

    /// <summary>Where this item's code units start in <see cref="Content"/>.</summary>
    public int ContentStart;
}
