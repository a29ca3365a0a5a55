using System;
using System.Collections.Generic;
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
    private readonly List<OperationComponent> _components;

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
        _components = new List<OperationComponent>(capacity);
    }

    /// <summary>Gets the length, in code points, of the document the operation built so far applies to.</summary>
    public int BaseLength { get; private set; }

    /// <summary>Gets the length, in code points, of the document the operation built so far produces.</summary>
    public int TargetLength { get; private set; }

    /// <summary>Appends a retain of <paramref name="count"/> code points (nothing when zero).</summary>
    /// <param name="count">The number of code points to keep.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="OverflowException">The operation would exceed <see cref="int.MaxValue"/> code points.</exception>
    public TextOperationBuilder Retain(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        AddRetain(count);
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

    /// <summary>Appends a delete of <paramref name="count"/> code points (nothing when zero).</summary>
    /// <param name="count">The number of code points to remove.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    /// <exception cref="OverflowException">The operation would exceed <see cref="int.MaxValue"/> code points.</exception>
    public TextOperationBuilder Delete(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        AddDelete(count);
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
                AddInsert(component.Text, component.Length);
                break;
            case OperationComponentKind.Delete:
                AddDelete(component.Length);
                break;
            default:
                AddRetain(component.Length);
                break;
        }

        return this;
    }

    /// <summary>Returns the normalized operation built so far; O(number of components).</summary>
    /// <returns>The operation; the builder is unchanged and can keep building.</returns>
    public TextOperation ToOperation() => new(_components.ToArray(), BaseLength, TargetLength);

    /// <summary>Empties the builder.</summary>
    public void Clear()
    {
        _components.Clear();
        BaseLength = 0;
        TargetLength = 0;
    }

    internal void AddRetain(int count)
    {
        if (count == 0)
        {
            return;
        }

        int baseLength = checked(BaseLength + count);
        int targetLength = checked(TargetLength + count);
        int last = _components.Count - 1;
        if (last >= 0 && _components[last].IsRetain)
        {
            _components[last] = OperationComponent.Retain(checked(_components[last].Length + count));
        }
        else
        {
            _components.Add(OperationComponent.Retain(count));
        }

        BaseLength = baseLength;
        TargetLength = targetLength;
    }

    internal void AddInsert(string text, int length)
    {
        if (length == 0)
        {
            return;
        }

        int targetLength = checked(TargetLength + length);
        int last = _components.Count - 1;
        if (last >= 0 && _components[last].IsInsert)
        {
            _components[last] = Merge(_components[last], text, length);
        }
        else if (last >= 0 && _components[last].IsDelete)
        {
            // Normal form puts an insert before an adjacent delete.
            if (last >= 1 && _components[last - 1].IsInsert)
            {
                _components[last - 1] = Merge(_components[last - 1], text, length);
            }
            else
            {
                _components.Insert(last, OperationComponent.TrustedInsert(text, length));
            }
        }
        else
        {
            _components.Add(OperationComponent.TrustedInsert(text, length));
        }

        TargetLength = targetLength;
    }

    internal void AddDelete(int count)
    {
        if (count == 0)
        {
            return;
        }

        int baseLength = checked(BaseLength + count);
        int last = _components.Count - 1;
        if (last >= 0 && _components[last].IsDelete)
        {
            _components[last] = OperationComponent.Delete(checked(_components[last].Length + count));
        }
        else
        {
            _components.Add(OperationComponent.Delete(count));
        }

        BaseLength = baseLength;
    }

    private static OperationComponent Merge(OperationComponent insert, string text, int length) =>
        OperationComponent.TrustedInsert(string.Concat(insert.Text, text), checked(insert.Length + length));
}
