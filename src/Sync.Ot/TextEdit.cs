using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Sync.Crdt.Annotations;

namespace Sync.Ot;

/// <summary>
/// One simple edit at one position, in the seeds' style ("insert text at position", "delete count at position")
/// and the editing traces' style (<c>[position, deleteCount, insertText]</c>): first delete
/// <see cref="DeleteCount"/> code points at <see cref="Position"/>, then insert <see cref="InsertText"/> there.
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

    /// <summary>Creates an edit that replaces <paramref name="deleteCount"/> code points at <paramref name="position"/> with <paramref name="insertText"/>.</summary>
    /// <param name="position">Where the edit happens, in code points from the start; zero or more.</param>
    /// <param name="deleteCount">How many code points to delete; zero or more.</param>
    /// <param name="insertText">What to insert after deleting: well-formed UTF-16, possibly empty.</param>
    /// <exception cref="ArgumentNullException"><paramref name="insertText"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="position"/> or <paramref name="deleteCount"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="insertText"/> contains an unpaired surrogate.</exception>
    public TextEdit(int position, int deleteCount, string insertText)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfNegative(deleteCount);
        ArgumentNullException.ThrowIfNull(insertText);
        InsertLength = CodePointText.CountValid(insertText, nameof(insertText));
        Position = position;
        DeleteCount = deleteCount;
        _insertText = insertText;
    }

    /// <summary>Gets where the edit happens, in code points from the start of the document.</summary>
    public int Position { get; }

    /// <summary>Gets how many code points the edit deletes at <see cref="Position"/>.</summary>
    public int DeleteCount { get; }

    /// <summary>Gets the text the edit inserts at <see cref="Position"/> (after deleting); possibly empty.</summary>
    public string InsertText => _insertText ?? string.Empty;

    /// <summary>Gets the length of <see cref="InsertText"/> in code points.</summary>
    public int InsertLength { get; }

    /// <summary>Gets a value indicating whether the edit neither deletes nor inserts anything.</summary>
    public bool IsEmpty => DeleteCount == 0 && InsertLength == 0;

    /// <summary>Creates an edit that inserts <paramref name="text"/> at <paramref name="position"/>.</summary>
    /// <param name="position">Where to insert, in code points.</param>
    /// <param name="text">The text to insert.</param>
    /// <returns>The edit.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="position"/> is negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> contains an unpaired surrogate.</exception>
    public static TextEdit Insert(int position, string text) => new(position, 0, text);

    /// <summary>Creates an edit that deletes <paramref name="count"/> code points at <paramref name="position"/>.</summary>
    /// <param name="position">Where to delete, in code points.</param>
    /// <param name="count">How many code points to delete.</param>
    /// <returns>The edit.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="position"/> or <paramref name="count"/> is negative.</exception>
    public static TextEdit Delete(int position, int count) => new(position, count, string.Empty);

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
        Position == other.Position && DeleteCount == other.DeleteCount && string.Equals(InsertText, other.InsertText, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is TextEdit other && Equals(other);

    /// <summary>Returns a hash consistent with <see cref="Equals(TextEdit)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Position, DeleteCount, string.GetHashCode(InsertText, StringComparison.Ordinal));

    /// <summary>Returns <c>[position, deleteCount, "text"]</c>, the traces' notation.</summary>
    /// <returns>A readable form of the edit.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"[{Position}, {DeleteCount}, \"{InsertText}\"]");
}
