using System;
using System.Collections.Generic;

namespace Sync.Ot;

/// <content>Compose, transform and invert.</content>
public sealed partial class TextOperation
{
    /// <summary>
    /// Returns one operation with the effect of this operation followed by <paramref name="next"/>:
    /// <c>a.Compose(b).Apply(s) == b.Apply(a.Apply(s))</c>. O(components of both + inserted text).
    /// </summary>
    /// <param name="next">The operation that applies to this operation's result.</param>
    /// <returns>The composition; <see langword="this"/> when <paramref name="next"/> is an identity and
    /// <paramref name="next"/> when this is an identity.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="next"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="next"/>'s <see cref="BaseCodePointLength"/> differs from this operation's <see cref="TargetCodePointLength"/>.</exception>
    public TextOperation Compose(TextOperation next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (next.BaseCodePointLength != TargetCodePointLength)
        {
            throw new ArgumentException(
                $"Cannot compose: the first operation produces {TargetCodePointLength} code points but the second applies to {next.BaseCodePointLength}.",
                nameof(next));
        }

        if (next.IsIdentity)
        {
            return this;
        }

        if (IsIdentity)
        {
            return next;
        }

        var result = new ComponentSequence(_components.Length + next._components.Length, pooled: true);
        try
        {
            ComposeCore(_components, next._components, ref result);
            return result.ToOperation();
        }
        finally
        {
            result.Release();
        }
    }

    private static void ComposeCore(OperationComponent[] first, OperationComponent[] second, ref ComponentSequence result)
    {
        var a = new ComponentCursor(first);
        var b = new ComponentCursor(second);
        while (a.HasCurrent || b.HasCurrent)
        {
            if (a.HasCurrent && a.Kind == OperationComponentKind.Delete)
            {
                // Text the first operation deletes never reaches the second.
                result.AddDelete(a.Remaining);
                a.Skip(a.Remaining);
                continue;
            }

            if (b.HasCurrent && b.Kind == OperationComponentKind.Insert)
            {
                int length = b.Remaining;
                result.AddInsert(b.TakeText(length), length);
                continue;
            }

            // Both now consume the intermediate document; equal lengths guarantee both still have components.
            int n = Math.Min(a.Remaining, b.Remaining);
            if (a.Kind == OperationComponentKind.Retain)
            {
                if (b.Kind == OperationComponentKind.Retain)
                {
                    result.AddRetain(n);
                }
                else
                {
                    result.AddDelete(n);
                }

                a.Skip(n);
            }
            else if (b.Kind == OperationComponentKind.Retain)
            {
                result.AddInsert(a.TakeText(n), n);
            }
            else
            {
                // Inserted by the first, deleted by the second: nothing survives.
                a.Skip(n);
            }

            b.Skip(n);
        }
    }

    /// <summary>
    /// Composes a sequence of consecutive operations into one (each applies to the previous one's result), pairing
    /// neighbours in a balanced tree: O(total components × log count) instead of the O(count × total components) of
    /// composing one by one. Use it to turn the operations a client missed into one catch-up operation.
    /// </summary>
    /// <param name="operations">The operations, in order; at least one.</param>
    /// <returns>The composition of all of them.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="operations"/> or one of its items is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="operations"/> is empty, or an operation does not apply to the previous one's result.</exception>
    public static TextOperation ComposeAll(IReadOnlyList<TextOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count == 0)
        {
            throw new ArgumentException("There is nothing to compose; pass at least one operation.", nameof(operations));
        }

        var level = new TextOperation[operations.Count];
        for (int i = 0; i < level.Length; i++)
        {
            level[i] = operations[i] ?? throw new ArgumentNullException(nameof(operations), $"Operation {i} is null.");
            if (i > 0 && level[i].BaseCodePointLength != level[i - 1].TargetCodePointLength)
            {
                throw new ArgumentException(
                    $"Operation {i} applies to {level[i].BaseCodePointLength} code points but operation {i - 1} produces {level[i - 1].TargetCodePointLength}.",
                    nameof(operations));
            }
        }

        int count = level.Length;
        while (count > 1)
        {
            int half = 0;
            for (int i = 0; i < count; i += 2)
            {
                level[half++] = i + 1 < count ? level[i].Compose(level[i + 1]) : level[i];
            }

            count = half;
        }

        return level[0];
    }

    /// <summary>
    /// Transforms two concurrent operations made on the same document against each other; when both insert at the
    /// same position, <paramref name="tieBreak"/> says whose text goes first. O(components of both).
    /// </summary>
    /// <param name="left">One operation.</param>
    /// <param name="right">The other operation, with the same <see cref="BaseCodePointLength"/>.</param>
    /// <param name="tieBreak">Whose insert goes first at equal positions.</param>
    /// <returns>The pair <c>(left', right')</c> with <c>left.Compose(right') == right.Compose(left')</c>.</returns>
    /// <exception cref="ArgumentNullException">An operation is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The operations have different base lengths, or <paramref name="tieBreak"/> is not defined.</exception>
    /// <remarks>
    /// Every case is covered, including the ones the seed's simple transform lacks: overlapping deletes remove the
    /// union once (neither side deletes text the other already deleted), and an insert inside a range the other side
    /// deletes survives at the start of that range.
    /// </remarks>
    public static TransformedPair Transform(TextOperation left, TextOperation right, InsertTieBreak tieBreak)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (tieBreak is not InsertTieBreak.LeftFirst and not InsertTieBreak.RightFirst)
        {
            throw new ArgumentException($"Unknown tie break {tieBreak}.", nameof(tieBreak));
        }

        if (left.BaseCodePointLength != right.BaseCodePointLength)
        {
            throw new ArgumentException(
                $"Cannot transform: concurrent operations must apply to the same document, but one applies to {left.BaseCodePointLength} code points and the other to {right.BaseCodePointLength}.",
                nameof(right));
        }

        if (right.IsIdentity)
        {
            return new TransformedPair(left, Identity(left.TargetCodePointLength));
        }

        if (left.IsIdentity)
        {
            return new TransformedPair(Identity(right.TargetCodePointLength), right);
        }

        int capacity = left._components.Length + right._components.Length;
        var leftPrime = new ComponentSequence(capacity, pooled: true);
        var rightPrime = new ComponentSequence(capacity, pooled: true);
        try
        {
            TransformCore(left, right, tieBreak == InsertTieBreak.LeftFirst, ref leftPrime, ref rightPrime, buildRight: true);
            return new TransformedPair(leftPrime.ToOperation(), rightPrime.ToOperation());
        }
        finally
        {
            leftPrime.Release();
            rightPrime.Release();
        }
    }

    /// <summary>Returns only the transformed left operation (what a server needs), building half as much as <see cref="Transform(TextOperation, TextOperation, InsertTieBreak)"/>.</summary>
    internal static TextOperation TransformLeft(TextOperation left, string leftAuthor, TextOperation right, string rightAuthor)
    {
        if (right.IsIdentity)
        {
            return left;
        }

        var leftPrime = new ComponentSequence(left._components.Length + right._components.Length, pooled: true);
        var unused = default(ComponentSequence);
        try
        {
            TransformCore(left, right, string.CompareOrdinal(leftAuthor, rightAuthor) < 0, ref leftPrime, ref unused, buildRight: false);
            return leftPrime.ToOperation();
        }
        finally
        {
            leftPrime.Release();
        }
    }

    private static void TransformCore(TextOperation left, TextOperation right, bool leftFirst, ref ComponentSequence leftPrime, ref ComponentSequence rightPrime, bool buildRight)
    {
        var a = new ComponentCursor(left._components);
        var b = new ComponentCursor(right._components);
        while (a.HasCurrent || b.HasCurrent)
        {
            bool aInserts = a.HasCurrent && a.Kind == OperationComponentKind.Insert;
            bool bInserts = b.HasCurrent && b.Kind == OperationComponentKind.Insert;
            if (aInserts && (leftFirst || !bInserts))
            {
                int length = a.Remaining;
                leftPrime.AddInsert(a.TakeText(length), length);
                if (buildRight)
                {
                    rightPrime.AddRetain(length);
                }

                continue;
            }

            if (bInserts)
            {
                int length = b.Remaining;
                if (buildRight)
                {
                    rightPrime.AddInsert(b.TakeText(length), length);
                }
                else
                {
                    b.Skip(length);
                }

                leftPrime.AddRetain(length);
                continue;
            }

            // Both consume the shared base document; equal base lengths guarantee both still have components.
            int n = Math.Min(a.Remaining, b.Remaining);
            bool aDeletes = a.Kind == OperationComponentKind.Delete;
            bool bDeletes = b.Kind == OperationComponentKind.Delete;
            if (!aDeletes && !bDeletes)
            {
                leftPrime.AddRetain(n);
                if (buildRight)
                {
                    rightPrime.AddRetain(n);
                }
            }
            else if (aDeletes && !bDeletes)
            {
                leftPrime.AddDelete(n);
            }
            else if (!aDeletes && buildRight)
            {
                rightPrime.AddDelete(n);
            }

            // Both delete the same text: already gone on each side, nothing to do.
            a.Skip(n);
            b.Skip(n);
        }
    }

    /// <summary>
    /// Transforms two concurrent operations by two different authors; when both insert at the same position the
    /// author whose id is ordinally lower goes first (the seeds' rule), on every replica.
    /// </summary>
    /// <param name="left">One operation.</param>
    /// <param name="leftAuthor">The id of the client that made <paramref name="left"/>.</param>
    /// <param name="right">The other operation, with the same <see cref="BaseCodePointLength"/>.</param>
    /// <param name="rightAuthor">The id of the client that made <paramref name="right"/>; must differ from <paramref name="leftAuthor"/>.</param>
    /// <returns>The pair <c>(left', right')</c> with <c>left.Compose(right') == right.Compose(left')</c>.</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The authors are equal (one author's operations are never concurrent) or the base lengths differ.</exception>
    public static TransformedPair Transform(TextOperation left, string leftAuthor, TextOperation right, string rightAuthor)
    {
        ArgumentNullException.ThrowIfNull(leftAuthor);
        ArgumentNullException.ThrowIfNull(rightAuthor);
        int order = string.CompareOrdinal(leftAuthor, rightAuthor);
        if (order == 0)
        {
            throw new ArgumentException(
                $"Both operations are by '{leftAuthor}'; one author's operations are sequential, never concurrent, so there is nothing to transform.",
                nameof(rightAuthor));
        }

        return Transform(left, right, order < 0 ? InsertTieBreak.LeftFirst : InsertTieBreak.RightFirst);
    }

    /// <summary>
    /// Returns the operation that undoes this one: <c>op.Invert(s).Apply(op.Apply(s)) == s</c>. O(length of the
    /// document) to locate the deleted text.
    /// </summary>
    /// <param name="baseDocument">The document this operation applies to (the text its deletes remove is read from it).</param>
    /// <returns>The inverse, which applies to this operation's result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="baseDocument"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="baseDocument"/> is not <see cref="BaseCodePointLength"/> code points long or holds an unpaired surrogate.</exception>
    public TextOperation Invert(string baseDocument)
    {
        ArgumentNullException.ThrowIfNull(baseDocument);
        int length = CodePointText.CountValid(baseDocument, nameof(baseDocument));
        ThrowIfBaseLengthDiffers(length, nameof(baseDocument));
        bool simple = length == baseDocument.Length;
        var inverse = new ComponentSequence(_components.Length, pooled: true);
        try
        {
            InvertCore(baseDocument, simple, ref inverse);
            return inverse.ToOperation();
        }
        finally
        {
            inverse.Release();
        }
    }

    private void InvertCore(string baseDocument, bool simple, ref ComponentSequence inverse)
    {
        int charIndex = 0;
        foreach (OperationComponent component in _components)
        {
            switch (component.Kind)
            {
                case OperationComponentKind.Retain:
                    inverse.AddRetain(component.CodePointLength);
                    charIndex += simple ? component.CodePointLength : CodePointText.CharOffset(baseDocument.AsSpan(charIndex), component.CodePointLength);
                    break;
                case OperationComponentKind.Insert:
                    inverse.AddDelete(component.CodePointLength);
                    break;
                default:
                {
                    int chars = simple ? component.CodePointLength : CodePointText.CharOffset(baseDocument.AsSpan(charIndex), component.CodePointLength);
                    inverse.AddInsert(baseDocument.Substring(charIndex, chars), component.CodePointLength);
                    charIndex += chars;
                    break;
                }
            }
        }
    }

    /// <summary>Returns the operation that undoes this one, reading deleted text from <paramref name="baseDocument"/>; O(components + gap moves).</summary>
    /// <param name="baseDocument">The buffer this operation applies to, not yet changed by it.</param>
    /// <returns>The inverse, which applies to this operation's result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="baseDocument"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="baseDocument"/> is not <see cref="BaseCodePointLength"/> code points long.</exception>
    public TextOperation Invert(TextBuffer baseDocument)
    {
        ArgumentNullException.ThrowIfNull(baseDocument);
        ThrowIfBaseLengthDiffers(baseDocument.CodePointLength, nameof(baseDocument));
        var inverse = new ComponentSequence(_components.Length, pooled: true);
        try
        {
            InvertCore(baseDocument, ref inverse);
            return inverse.ToOperation();
        }
        finally
        {
            inverse.Release();
        }
    }

    private void InvertCore(TextBuffer baseDocument, ref ComponentSequence inverse)
    {
        int position = 0;
        foreach (OperationComponent component in _components)
        {
            switch (component.Kind)
            {
                case OperationComponentKind.Retain:
                    inverse.AddRetain(component.CodePointLength);
                    position += component.CodePointLength;
                    break;
                case OperationComponentKind.Insert:
                    inverse.AddDelete(component.CodePointLength);
                    break;
                default:
                    inverse.AddInsert(baseDocument.GetText(position, component.CodePointLength), component.CodePointLength);
                    position += component.CodePointLength;
                    break;
            }
        }
    }
}
