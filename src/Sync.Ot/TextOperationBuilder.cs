using System;
using Sync.Crdt.Annotations;

namespace Sync.Ot;

/// <summary>
/// Builds a <see cref="TextOperation"/> component by component, normalizing as it goes.
/// </summary>
/// <remarks>
/// <para>Normal form: no empty components; no two adjacent components of the same kind (they are merged); an
/// insert never directly follows a delete (inserting before or after a deleted run gives the same document, so the
/// insert is moved in front of the delete). Two operations with the same effect on every document therefore have
/// the same components and compare equal.</para>
/// <para>Each call is amortized O(1), except that merging adjacent inserts concatenates their texts. The builder
/// can keep building after <see cref="ToOperation"/>. It is not thread-safe.</para>
/// </remarks>
[Mutable]
public sealed class TextOperationBuilder
{
    private ComponentSequence _sequence;

    /// <summary>Creates an empty builder.</summary>
    public TextOperationBuilder()
        : this(4)
    {
    }

    /// <summary>Creates an empty builder with room for <paramref name="capacity"/> components.</summary>
    /// <param name="capacity">The initial capacity; zero or more.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is negative.</exception>
    public TextOperationBuilder(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _sequence = new ComponentSequence(capacity, pooled: false);
    }

    /// <summary>Gets the length, in code points, of the document the operation built so far applies to.</summary>
    public int BaseCodePointLength => _sequence.BaseCodePointLength;

    /// <summary>Gets the length, in code points, of the document the operation built so far produces.</summary>
    public int TargetCodePointLength => _sequence.TargetCodePointLength;

    /// <summary>Appends a retain of <paramref name="codePointCount"/> code points (nothing when zero).</summary>
    /// <param name="codePointCount">The number of code points to keep.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="codePointCount"/> is negative.</exception>
    /// <exception cref="OverflowException">The operation would exceed <see cref="int.MaxValue"/> code points.</exception>
    public TextOperationBuilder Retain(int codePointCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(codePointCount);
        AddRetain(codePointCount);
        return this;
    }

    /// <summary>Appends an insert of <paramref name="text"/> (nothing when empty); O(length of the text).</summary>
    /// <param name="text">The text to insert: well-formed UTF-16.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> contains an unpaired surrogate.</exception>
    /// <exception cref="OverflowException">The operation would exceed <see cref="int.MaxValue"/> code points.</exception>
    public TextOperationBuilder Insert(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        AddInsert(text, CodePointText.CountValid(text, nameof(text)));
        return this;
    }

    /// <summary>Appends a delete of <paramref name="codePointCount"/> code points (nothing when zero).</summary>
    /// <param name="codePointCount">The number of code points to remove.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="codePointCount"/> is negative.</exception>
    /// <exception cref="OverflowException">The operation would exceed <see cref="int.MaxValue"/> code points.</exception>
    public TextOperationBuilder Delete(int codePointCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(codePointCount);
        AddDelete(codePointCount);
        return this;
    }

    /// <summary>Appends a component (nothing when it is empty).</summary>
    /// <param name="component">The component to append.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="OverflowException">The operation would exceed <see cref="int.MaxValue"/> code points.</exception>
    public TextOperationBuilder Add(OperationComponent component)
    {
        switch (component.Kind)
        {
            case OperationComponentKind.Insert:
                AddInsert(component.Text, component.CodePointLength);
                break;
            case OperationComponentKind.Delete:
                AddDelete(component.CodePointLength);
                break;
            default:
                AddRetain(component.CodePointLength);
                break;
        }

        return this;
    }

    /// <summary>Returns the normalized operation built so far; O(number of components).</summary>
    /// <returns>The operation; the builder is unchanged and can keep building.</returns>
    public TextOperation ToOperation() => _sequence.ToOperation();

    /// <summary>Empties the builder.</summary>
    public void Clear() => _sequence.Clear();

    private void AddRetain(int count) => _sequence.AddRetain(count);

    private void AddInsert(string text, int length) => _sequence.AddInsert(text, length);

    private void AddDelete(int count) => _sequence.AddDelete(count);
}
