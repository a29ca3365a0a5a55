using System;
using System.Collections.Generic;

namespace Sync.Ot;

/// <content>Conversion to and from simple edits.</content>
public sealed partial class TextOperation
{
    /// <summary>Creates the operation "insert <paramref name="text"/> at <paramref name="position"/>" on a document of <paramref name="documentLength"/> code points.</summary>
    /// <param name="documentLength">The length of the document the operation applies to, in code points.</param>
    /// <param name="position">Where to insert, from 0 to <paramref name="documentLength"/>.</param>
    /// <param name="text">The text to insert: well-formed UTF-16.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A length or position is negative or past the end.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> contains an unpaired surrogate.</exception>
    public static TextOperation Insert(int documentLength, int position, string text) =>
        FromEdit(documentLength, TextEdit.Insert(position, text));

    /// <summary>Creates the operation "delete <paramref name="count"/> code points at <paramref name="position"/>" on a document of <paramref name="documentLength"/> code points.</summary>
    /// <param name="documentLength">The length of the document the operation applies to, in code points.</param>
    /// <param name="position">Where to delete.</param>
    /// <param name="count">How many code points to delete; <c>position + count</c> must not pass <paramref name="documentLength"/>.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A length, position or count is negative or the range passes the end.</exception>
    public static TextOperation Delete(int documentLength, int position, int count) =>
        FromEdit(documentLength, TextEdit.Delete(position, count));

    /// <summary>Creates the operation that performs <paramref name="edit"/> on a document of <paramref name="documentLength"/> code points.</summary>
    /// <param name="documentLength">The length of the document the operation applies to, in code points.</param>
    /// <param name="edit">The edit; its deleted range must lie inside the document.</param>
    /// <returns>The operation (an identity when the edit is empty).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="documentLength"/> is negative or the edit's range passes the end of the document.</exception>
    public static TextOperation FromEdit(int documentLength, TextEdit edit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(documentLength);
        if (edit.Position > documentLength || edit.DeleteCount > documentLength - edit.Position)
        {
            throw new ArgumentOutOfRangeException(
                nameof(edit),
                $"The edit {edit} reaches past the end of a document of {documentLength} code points.");
        }

        if (edit.IsEmpty)
        {
            return Identity(documentLength);
        }

        // Already in normal form: retain, insert, delete, retain, each present only when non-empty.
        int after = documentLength - edit.Position - edit.DeleteCount;
        int count = (edit.Position > 0 ? 1 : 0) + (edit.InsertLength > 0 ? 1 : 0) + (edit.DeleteCount > 0 ? 1 : 0) + (after > 0 ? 1 : 0);
        var components = new OperationComponent[count];
        int i = 0;
        if (edit.Position > 0)
        {
            components[i++] = OperationComponent.Retain(edit.Position);
        }

        if (edit.InsertLength > 0)
        {
            components[i++] = OperationComponent.TrustedInsert(edit.InsertText, edit.InsertLength);
        }

        if (edit.DeleteCount > 0)
        {
            components[i++] = OperationComponent.Delete(edit.DeleteCount);
        }

        if (after > 0)
        {
            components[i] = OperationComponent.Retain(after);
        }

        return new TextOperation(components, documentLength, documentLength - edit.DeleteCount + edit.InsertLength);
    }

    /// <summary>
    /// Creates one operation performing <paramref name="edits"/> one after another, each position counted in the
    /// document as the previous edits left it (the traces' convention); O(edits × components).
    /// </summary>
    /// <param name="documentLength">The length of the document the first edit applies to, in code points.</param>
    /// <param name="edits">The edits, in order.</param>
    /// <returns>The composed operation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="edits"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="documentLength"/> is negative or an edit passes the end of the document at its turn.</exception>
    public static TextOperation FromEdits(int documentLength, IEnumerable<TextEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(edits);
        TextOperation result = Identity(documentLength);
        foreach (TextEdit edit in edits)
        {
            result = result.Compose(FromEdit(result.TargetLength, edit));
        }

        return result;
    }

    /// <summary>
    /// Returns the simple edits equivalent to this operation, in document order: applying them one after another,
    /// each position counted in the document as the previous edits left it, has this operation's effect (an insert
    /// followed by a delete becomes one replacing edit). O(number of components).
    /// </summary>
    /// <returns>The edits; empty for an identity.</returns>
    public IReadOnlyList<TextEdit> ToEdits()
    {
        var edits = new List<TextEdit>();
        int position = 0;
        for (int i = 0; i < _components.Length; i++)
        {
            OperationComponent component = _components[i];
            switch (component.Kind)
            {
                case OperationComponentKind.Retain:
                    position += component.Length;
                    break;
                case OperationComponentKind.Insert:
                {
                    int deleteCount = 0;
                    if (i + 1 < _components.Length && _components[i + 1].IsDelete)
                    {
                        deleteCount = _components[i + 1].Length;
                        i++;
                    }

                    edits.Add(new TextEdit(position, deleteCount, component.Text));
                    position += component.Length;
                    break;
                }

                default:
                    edits.Add(TextEdit.Delete(position, component.Length));
                    break;
            }
        }

        return edits;
    }
}
