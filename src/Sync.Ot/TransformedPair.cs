using System;
using System.Diagnostics.CodeAnalysis;
using Sync.Crdt.Annotations;

namespace Sync.Ot;

/// <summary>
/// The result of transforming two concurrent operations <c>left</c> and <c>right</c> (made on the same document
/// <c>s</c>) against each other: <c>left.Compose(Right) == right.Compose(Left)</c>, so
/// <c>Right.Apply(left.Apply(s)) == Left.Apply(right.Apply(s))</c> (transformation property TP1).
/// </summary>
/// <remarks>Equality is structural. The <see langword="default"/> value holds no operations (both are
/// <see langword="null"/>); only <see cref="TextOperation.Transform(TextOperation, TextOperation, InsertTieBreak)"/> and the
/// constructor make meaningful pairs. This type is an immutable value and thread-safe.</remarks>
[Immutable]
public readonly struct TransformedPair : IEquatable<TransformedPair>
{
    /// <summary>Creates a pair.</summary>
    /// <param name="left">The left operation transformed to apply after the right one.</param>
    /// <param name="right">The right operation transformed to apply after the left one.</param>
    /// <exception cref="ArgumentNullException">An operation is <see langword="null"/>.</exception>
    public TransformedPair(TextOperation left, TextOperation right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        Left = left;
        Right = right;
    }

    /// <summary>Gets the left operation transformed so that it applies to the document the right operation produced.</summary>
    public TextOperation Left { get; }

    /// <summary>Gets the right operation transformed so that it applies to the document the left operation produced.</summary>
    public TextOperation Right { get; }

    /// <summary>Returns <see langword="true"/> when both pairs hold equal operations.</summary>
    /// <param name="left">The first pair.</param>
    /// <param name="right">The second pair.</param>
    public static bool operator ==(TransformedPair left, TransformedPair right) => left.Equals(right);

    /// <summary>Returns <see langword="true"/> when the pairs differ.</summary>
    /// <param name="left">The first pair.</param>
    /// <param name="right">The second pair.</param>
    public static bool operator !=(TransformedPair left, TransformedPair right) => !left.Equals(right);

    /// <summary>Deconstructs the pair.</summary>
    /// <param name="left">The transformed left operation.</param>
    /// <param name="right">The transformed right operation.</param>
    public void Deconstruct(out TextOperation left, out TextOperation right)
    {
        left = Left;
        right = Right;
    }

    /// <summary>Returns <see langword="true"/> when both pairs hold structurally equal operations.</summary>
    /// <param name="other">The pair to compare with.</param>
    /// <returns>Whether the pairs are equal.</returns>
    public bool Equals(TransformedPair other) => Equals(Left, other.Left) && Equals(Right, other.Right);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is TransformedPair other && Equals(other);

    /// <summary>Returns a hash consistent with <see cref="Equals(TransformedPair)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Left, Right);

    /// <summary>Returns both operations.</summary>
    /// <returns>A readable form of the pair.</returns>
    public override string ToString() => $"({Left}, {Right})";
}
