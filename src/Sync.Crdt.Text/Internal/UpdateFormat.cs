namespace Sync.Crdt.Text.Internal;

/// <summary>The constants of the update byte format (docs/text.md, "Update format").</summary>
internal static class UpdateFormat
{
    /// <summary>The first byte of every update.</summary>
    public const byte Version = 1;

    public const int OriginLeftNone = 0;
    public const int OriginLeftPrevious = 1;
    public const int OriginLeftSameReplica = 2;
    public const int OriginLeftOtherReplica = 3;
    public const int OriginRightNone = 0;
    public const int OriginRightSameReplica = 1;
    public const int OriginRightOtherReplica = 2;

    /// <summary>Info bit 4: the item is deleted (no content; also a delete of its clocks).</summary>
    public const int DeletedFlag = 0x10;

    /// <summary>The longest length that fits the info byte's bits 5–7.</summary>
    public const int MaxInlineLength = 7;
}
