using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Sync.Crdt.Annotations;

namespace Sync.Ot;

/// <summary>
/// One simple edit at one position, in the style of editor change events and editing traces
/// (<c>[index, deleteCount, insertText]</c>): first delete <see cref="DeleteCodePointCount"/> code points at
/// <see cref="CodePointIndex"/>, then insert <see cref="InsertText"/> there.
/// </summary>
/// <remarks>
/// <para>Positions and counts are Unicode scalar values (code points), so an edit cannot split a surrogate pair.
/// Convert with <see cref="TextOperation.FromEdit(int, TextEdit)"/> and <see cref="TextOperation.ToEdits"/>.</para>
/// <para>Equality is structural (ordinal text). The <see langword="default"/> value is an empty edit at position
/// 0. This type is an immutable value and thread-safe.</para>
/// </remarks>
[Immutable]
public readonly struct TextEdit : IEquatable<TextEdit>
{
    private readonly string? _insertText;

    /// <summary>Creates an edit that replaces <paramref name="deleteCodePointCount"/> code points at <paramref name="codePointIndex"/> with <paramref name="insertText"/>.</summary>
    /// <param name="codePointIndex">Where the edit happens, in code points from the start; zero or more.</param>
    /// <param name="deleteCodePointCount">How many code points to delete; zero or more.</param>
    /// <param name="insertText">What to insert after deleting: well-formed UTF-16, possibly empty.</param>
    /// <exception cref="ArgumentNullException"><paramref name="insertText"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="codePointIndex"/> or <paramref name="deleteCodePointCount"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="insertText"/> contains an unpaired surrogate.</exception>
    public TextEdit(int codePointIndex, int deleteCodePointCount, string insertText)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(codePointIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(deleteCodePointCount);
        ArgumentNullException.ThrowIfNull(insertText);
        InsertCodePointLength = CodePointText.CountValid(insertText, nameof(insertText));
        CodePointIndex = codePointIndex;
        DeleteCodePointCount = deleteCodePointCount;
        _insertText = insertText;
    }

    /// <summary>Gets where the edit happens, in code points from the start of the document.</summary>
    public int CodePointIndex { get; }

    /// <summary>Gets how many code points the edit deletes at <see cref="CodePointIndex"/>.</summary>
    public int DeleteCodePointCount { get; }

    /// <summary>Gets the text the edit inserts at <see cref="CodePointIndex"/> (after deleting); possibly empty.</summary>
    public string InsertText => _insertText ?? string.Empty;

    /// <summary>Gets the length of <see cref="InsertText"/> in code points.</summary>
    public int InsertCodePointLength { get; }

    /// <summary>Gets a value indicating whether the edit neither deletes nor inserts anything.</summary>
    public bool IsEmpty => DeleteCodePointCount == 0 && InsertCodePointLength == 0;

    /// <summary>Creates an edit that inserts <paramref name="text"/> at <paramref name="codePointIndex"/>.</summary>
    /// <param name="codePointIndex">Where to insert, in code points.</param>
    /// <param name="text">The text to insert.</param>
    /// <returns>The edit.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="codePointIndex"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> contains an unpaired surrogate.</exception>
    public static TextEdit Insert(int codePointIndex, string text) => new(codePointIndex, 0, text);

    /// <summary>Creates an edit that deletes <paramref name="codePointCount"/> code points at <paramref name="codePointIndex"/>.</summary>
    /// <param name="codePointIndex">Where to delete, in code points.</param>
    /// <param name="codePointCount">How many code points to delete.</param>
    /// <returns>The edit.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="codePointIndex"/> or <paramref name="codePointCount"/> is negative.</exception>
    public static TextEdit Delete(int codePointIndex, int codePointCount) => new(codePointIndex, codePointCount, string.Empty);

    /// <summary>Returns <see langword="true"/> when both edits are equal.</summary>
    /// <param name="left">The first edit.</param>
    /// <param name="right">The second edit.</param>
    public static bool operator ==(TextEdit left, TextEdit right) => left.Equals(right);

    /// <summary>Returns <see langword="true"/> when the edits differ.</summary>
    /// <param name="left">The first edit.</param>
    /// <param name="right">The second edit.</param>
    public static bool operator !=(TextEdit left, TextEdit right) => !left.Equals(right);

    /// <summary>Returns <see langword="true"/> when both edits have the same position, delete count and (ordinal) text.</summary>
    /// <param name="other">The edit to compare with.</param>
    /// <returns>Whether the edits are equal.</returns>
    public bool Equals(TextEdit other) =>
        CodePointIndex == other.CodePointIndex && DeleteCodePointCount == other.DeleteCodePointCount && string.Equals(InsertText, other.InsertText, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is TextEdit other && Equals(other);

    /// <summary>Returns a hash consistent with <see cref="Equals(TextEdit)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(CodePointIndex, DeleteCodePointCount, string.GetHashCode(InsertText, StringComparison.Ordinal));

    /// <summary>Returns <c>[position, deleteCount, "text"]</c>, the traces' notation.</summary>
    /// <returns>A readable form of the edit.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"[{CodePointIndex}, {DeleteCodePointCount}, \"{InsertText}\"]");
}
