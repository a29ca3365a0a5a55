using System;
using Sync.Crdt.Text;

namespace Sync.Crdt.Protocol;

/// <summary>One participant's presence on a text document: a selection between two stable positions (equal for a
/// caret) and application-defined user information (for example a name and a color as JSON).</summary>
/// <remarks>Immutable. Positions are <see cref="TextPosition"/>s, so they stay attached to the text while others edit.
/// Presence is ephemeral: never stored, expired by the server when not refreshed.</remarks>
public sealed class PresenceState
{
    /// <summary>The longest user information, in UTF-16 code units.</summary>
    public const int MaxUserInfoLength = 4096;

    /// <summary>Creates a presence state.</summary>
    /// <param name="anchor">Where the selection starts (the caret when nothing is selected).</param>
    /// <param name="head">Where the selection ends (the caret).</param>
    /// <param name="userInfo">User information (at most <see cref="MaxUserInfoLength"/> code units).</param>
    public PresenceState(TextPosition anchor, TextPosition head, string userInfo)
    {
        ArgumentNullException.ThrowIfNull(userInfo);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(userInfo.Length, MaxUserInfoLength, nameof(userInfo));
        Anchor = anchor;
        Head = head;
        UserInfo = userInfo;
    }

    /// <summary>The selection's anchor.</summary>
    public TextPosition Anchor { get; }

    /// <summary>The selection's head (the caret).</summary>
    public TextPosition Head { get; }

    /// <summary>The user information.</summary>
    public string UserInfo { get; }
}
