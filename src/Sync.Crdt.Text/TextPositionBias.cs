namespace Sync.Crdt.Text;

/// <summary>Which neighbouring code unit a <see cref="TextPosition"/> is bound to, and so where it goes when text is inserted exactly there.</summary>
public enum TextPositionBias
{
    /// <summary>Bound to the code unit after the position: text inserted at the position ends up before it (a caret that stays before the next character). At the end of the text, bound to the end.</summary>
    After = 0,

    /// <summary>Bound to the code unit before the position: text inserted at the position ends up after it (a caret that follows typed text). At the start of the text, bound to the start.</summary>
    Before = 1,
}
