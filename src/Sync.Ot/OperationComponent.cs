using System;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Sync.Crdt.Annotations;

namespace Sync.Ot;

/// <summary>
/// One step of a <see cref="TextOperation"/>: retain <c>n</c> code points, insert a text, or delete <c>n</c> code points.
/// </summary>
/// <remarks>
/// <para>Lengths count Unicode scalar values (code points), never UTF-16 code units, so a component can never
/// split a surrogate pair: "😀" has length 1. Inserted text must be well-formed UTF-16.</para>
/// <para>A delete component stores only how many code points it removes, not which ones; inverting an operation
/// therefore needs the document it applies to (see <see cref="TextOperation.Invert(string)"/>).</para>
/// <para>Equality is structural (kind, length and ordinal text). The <see langword="default"/> value is an empty
/// retain, which builders ignore. This type is an immutable value and thread-safe.</para>
/// </remarks>
[Immutable]
public readonly struct OperationComponent : IEquatable<OperationComponent>
{
    private readonly string? _text;

    private OperationComponent(OperationComponentKind kind, int length, string? text)
    {
        Kind = kind;
        CodePointLength = length;
        _text = text;
    }

    /// <summary>Gets what this component does.</summary>
    public OperationComponentKind Kind { get; }

    /// <summary>Gets how many code points the component retains, inserts or deletes (never negative).</summary>
    public int CodePointLength { get; }

    /// <summary>Gets the inserted text for an insert component; the empty string for retain and delete.</summary>
    public string Text => _text ?? string.Empty;

    /// <summary>Gets a value indicating whether this is a retain component.</summary>
    public bool IsRetain => Kind == OperationComponentKind.Retain;

    /// <summary>Gets a value indicating whether this is an insert component.</summary>
    public bool IsInsert => Kind == OperationComponentKind.Insert;

    /// <summary>Gets a value indicating whether this is a delete component.</summary>
    public bool IsDelete => Kind == OperationComponentKind.Delete;

    /// <summary>Creates a component that keeps <paramref name="codePointCount"/> code points.</summary>
    /// <param name="codePointCount">The number of code points to keep; zero or more.</param>
    /// <returns>The retain component.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="codePointCount"/> is negative.</exception>
    public static OperationComponent Retain(int codePointCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(codePointCount);
        return new OperationComponent(OperationComponentKind.Retain, codePointCount, null);
    }

    /// <summary>Creates a component that inserts <paramref name="text"/>; O(length of the text) to count its code points.</summary>
    /// <param name="text">The text to insert: well-formed UTF-16.</param>
    /// <returns>The insert component.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> contains an unpaired surrogate.</exception>
    public static OperationComponent Insert(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new OperationComponent(OperationComponentKind.Insert, CodePointText.CountValid(text, nameof(text)), text);
    }

    /// <summary>Creates a component that deletes <paramref name="codePointCount"/> code points.</summary>
    /// <param name="codePointCount">The number of code points to delete; zero or more.</param>
    /// <returns>The delete component.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="codePointCount"/> is negative.</exception>
    public static OperationComponent Delete(int codePointCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(codePointCount);
        return new OperationComponent(OperationComponentKind.Delete, codePointCount, null);
    }

    /// <summary>Creates an insert component from text already known to be valid with the given code point length.</summary>
    internal static OperationComponent TrustedInsert(string text, int length) =>
        new(OperationComponentKind.Insert, length, text);

    /// <summary>Returns <see langword="true"/> when both components have the same kind, length and text.</summary>
    /// <param name="left">The first component.</param>
    /// <param name="right">The second component.</param>
    public static bool operator ==(OperationComponent left, OperationComponent right) => left.Equals(right);

    /// <summary>Returns <see langword="true"/> when the components differ.</summary>
    /// <param name="left">The first component.</param>
    /// <param name="right">The second component.</param>
    public static bool operator !=(OperationComponent left, OperationComponent right) => !left.Equals(right);

    /// <summary>Returns <see langword="true"/> when both components have the same kind, length and (ordinal) text.</summary>
    /// <param name="other">The component to compare with.</param>
    /// <returns>Whether the components are equal.</returns>
    public bool Equals(OperationComponent other) =>
        Kind == other.Kind && CodePointLength == other.CodePointLength && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is OperationComponent other && Equals(other);

    /// <summary>Returns a hash consistent with <see cref="Equals(OperationComponent)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Kind, CodePointLength, string.GetHashCode(Text, StringComparison.Ordinal));

    /// <summary>Returns <c>retain(n)</c>, <c>insert("text")</c> or <c>delete(n)</c>.</summary>
    /// <returns>A readable form of the component.</returns>
    public override string ToString() => Kind switch
    {
        OperationComponentKind.Insert => string.Create(CultureInfo.InvariantCulture, $"insert(\"{Text}\")"),
        OperationComponentKind.Delete => string.Create(CultureInfo.InvariantCulture, $"delete({CodePointLength})"),
        _ => string.Create(CultureInfo.InvariantCulture, $"retain({CodePointLength})"),
    };
}
