namespace Sync.Ot;

/// <summary>
/// Which of two concurrent operations' inserts comes first when both insert at the same position.
/// </summary>
/// <remarks>
/// Servers and clients in this assembly never pass this directly: they use
/// <see cref="TextOperation.Transform(TextOperation, string, TextOperation, string)"/>, which puts the insert of
/// the author with the ordinally lower id first.
/// </remarks>
public enum InsertTieBreak
{
    /// <summary>The left operation's text goes before the right operation's text.</summary>
    LeftFirst = 0,

    /// <summary>The right operation's text goes before the left operation's text.</summary>
    RightFirst = 1,
}
