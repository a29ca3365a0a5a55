using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;
using Sync.Crdt.Annotations;

namespace Sync.Ot;

/// <summary>
/// An edit of a whole plain-text document: a sequence of retain / insert / delete components that walks the
/// document from start to end, so one operation can carry many edits. The building block of operational
/// transformation (OT) as used by Google Docs-style editors.
/// </summary>
/// <remarks>
/// <para><b>Unit.</b> Every position and length is a count of Unicode scalar values (code points), never of UTF-16
/// code units: "😀" (U+1F600, two <see cref="char"/>s) has length 1, so no operation can split a surrogate pair.
/// Texts passed in must be well-formed UTF-16 (an unpaired surrogate is rejected with an
/// <see cref="ArgumentException"/>). Grapheme clusters made of several code points (a flag, a family emoji,
/// "e" + combining accent) count as several, as in the editing traces and most editors' models.</para>
/// <para><b>Shape.</b> An operation applies only to documents of exactly <see cref="BaseCodePointLength"/> code points and
/// produces <see cref="TargetCodePointLength"/> code points. It is always in normal form (see
/// <see cref="TextOperationBuilder"/>): no empty components, no adjacent components of the same kind, and an insert
/// before (never directly after) a delete. Equality is structural over the components, so equal operations have the
/// same effect on every document, and two operations with the same effect on every document are equal.</para>
/// <para><b>Algebra.</b> <see cref="Apply(string)"/>, <see cref="Compose"/> (a then b as one operation),
/// <see cref="Transform(TextOperation, string, TextOperation, string)"/> (two concurrent operations rebased on each
/// other, TP1: <c>a ∘ b' = b ∘ a'</c>) and <see cref="Invert(string)"/> (the undo; it needs the base document
/// because delete components do not store the deleted text, which keeps operations small on the wire and in
/// the server's history).</para>
/// <para><b>Ties.</b> When both concurrent operations insert at the same position, the insert of the author with the
/// ordinally lower id goes first (the seeds' rule: lower user id first); see <see cref="InsertTieBreak"/>.</para>
/// <para>Compose and transform are O(components of both operations); <see cref="Apply(string)"/> and
/// <see cref="Invert(string)"/> are O(document length) (use a <see cref="TextBuffer"/> to apply in
/// O(components + inserted text)). This type is immutable and thread-safe; an operation that changes nothing returns the same instance
/// (composing with an identity returns the other operand, applying an identity returns the same string).</para>
/// </remarks>
[Immutable]
public sealed partial class TextOperation : IEquatable<TextOperation>
{
    private static readonly TextOperation EmptyIdentity = new([], 0, 0);

    private readonly OperationComponent[] _components;

    internal TextOperation(OperationComponent[] components, int baseLength, int targetLength)
    {
        _components = components;
        BaseCodePointLength = baseLength;
        TargetCodePointLength = targetLength;
    }

    /// <summary>Gets the normalized components, in document order.</summary>
    public ImmutableArray<OperationComponent> Components => ImmutableCollectionsMarshal.AsImmutableArray(_components);

    /// <summary>Gets the length, in code points, of the only documents this operation applies to.</summary>
    public int BaseCodePointLength { get; }

    /// <summary>Gets the length, in code points, of the document this operation produces.</summary>
    public int TargetCodePointLength { get; }

    /// <summary>Gets a value indicating whether the operation changes nothing (it only retains).</summary>
    public bool IsIdentity => _components.Length == 0 || (_components.Length == 1 && _components[0].IsRetain);

    /// <summary>Returns the operation that keeps a document of <paramref name="codePointLength"/> code points unchanged.</summary>
    /// <param name="codePointLength">The document length in code points.</param>
    /// <returns>The identity operation.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="codePointLength"/> is negative.</exception>
    public static TextOperation Identity(int codePointLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(codePointLength);
        return codePointLength == 0 ? EmptyIdentity : new TextOperation([OperationComponent.Retain(codePointLength)], codePointLength, codePointLength);
    }

    /// <summary>Creates an empty builder.</summary>
    /// <returns>A new builder.</returns>
    public static TextOperationBuilder CreateBuilder() => new();

    /// <summary>Creates an operation from components, normalizing them.</summary>
    /// <param name="components">The components in document order.</param>
    /// <returns>The normalized operation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="components"/> is <see langword="null"/>.</exception>
    public static TextOperation FromComponents(IEnumerable<OperationComponent> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        var builder = new TextOperationBuilder();
        foreach (OperationComponent component in components)
        {
            builder.Add(component);
        }

        return builder.ToOperation();
    }

    /// <summary>Returns <see langword="true"/> when both operations are structurally equal (or both null).</summary>
    /// <param name="left">The first operation.</param>
    /// <param name="right">The second operation.</param>
    public static bool operator ==(TextOperation? left, TextOperation? right) =>
        left is null ? right is null : left.Equals(right);

    /// <summary>Returns <see langword="true"/> when the operations differ.</summary>
    /// <param name="left">The first operation.</param>
    /// <param name="right">The second operation.</param>
    public static bool operator !=(TextOperation? left, TextOperation? right) => !(left == right);

    /// <summary>Applies the operation to <paramref name="document"/>; O(length of the document).</summary>
    /// <param name="document">The document: well-formed UTF-16 of exactly <see cref="BaseCodePointLength"/> code points.</param>
    /// <returns>The edited document; the same instance when the operation is an identity.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="document"/> is not <see cref="BaseCodePointLength"/> code points long or holds an unpaired surrogate.</exception>
    public string Apply(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        int length = CodePointText.CountValid(document, nameof(document));
        ThrowIfBaseLengthDiffers(length, nameof(document));
        if (IsIdentity)
        {
            return document;
        }

        bool simple = length == document.Length;
        var result = new StringBuilder(document.Length + 16);
        int charIndex = 0;
        foreach (OperationComponent component in _components)
        {
            switch (component.Kind)
            {
                case OperationComponentKind.Retain:
                {
                    int chars = simple ? component.CodePointLength : CodePointText.CharOffset(document.AsSpan(charIndex), component.CodePointLength);
                    result.Append(document, charIndex, chars);
                    charIndex += chars;
                    break;
                }

                case OperationComponentKind.Insert:
                    result.Append(component.Text);
                    break;
                default:
                    charIndex += simple ? component.CodePointLength : CodePointText.CharOffset(document.AsSpan(charIndex), component.CodePointLength);
                    break;
            }
        }

        return result.ToString();
    }

    /// <summary>Applies the operation to <paramref name="buffer"/> in place; the same as <see cref="TextBuffer.Apply(TextOperation)"/>.</summary>
    /// <param name="buffer">The document buffer, <see cref="BaseCodePointLength"/> code points long.</param>
    /// <exception cref="ArgumentNullException"><paramref name="buffer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The buffer is not <see cref="BaseCodePointLength"/> code points long; it is left unchanged.</exception>
    public void ApplyTo(TextBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        buffer.Apply(this);
    }

    /// <summary>Returns <see langword="true"/> when <paramref name="other"/> has the same components.</summary>
    /// <param name="other">The operation to compare with.</param>
    /// <returns>Whether the operations are equal.</returns>
    public bool Equals([NotNullWhen(true)] TextOperation? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || BaseCodePointLength != other.BaseCodePointLength || TargetCodePointLength != other.TargetCodePointLength || _components.Length != other._components.Length)
        {
            return false;
        }

        for (int i = 0; i < _components.Length; i++)
        {
            if (!_components[i].Equals(other._components[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => Equals(obj as TextOperation);

    /// <summary>Returns a structural hash consistent with <see cref="Equals(TextOperation)"/>; O(number of components + inserted text).</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        hash.Add(BaseCodePointLength);
        foreach (OperationComponent component in _components)
        {
            hash.Add(component);
        }

        return hash.ToHashCode();
    }

    /// <summary>Returns the components, for example <c>[retain(3), insert("ab"), delete(2)]</c>.</summary>
    /// <returns>A readable form of the operation.</returns>
    public override string ToString() => "[" + string.Join(", ", _components) + "]";

    internal OperationComponent[] RawComponents => _components;

    internal void ThrowIfBaseLengthDiffers(int documentLength, string parameterName)
    {
        if (documentLength != BaseCodePointLength)
        {
            throw new ArgumentException(
                $"The operation applies to documents of {BaseCodePointLength} code points, but the document has {documentLength}.",
                parameterName);
        }
    }
}
