using System;
using System.Collections.Generic;

namespace Sync.Ot;

/// <content>Conversion to and from simple edits.</content>
public sealed partial class TextOperation
{
    /// <summary>Creates the operation "insert <paramref name="text"/> at <paramref name="codePointIndex"/>" on a document of <paramref name="documentCodePointLength"/> code points.</summary>
    /// <param name="documentCodePointLength">The length of the document the operation applies to, in code points.</param>
    /// <param name="codePointIndex">Where to insert, from 0 to <paramref name="documentCodePointLength"/>.</param>
    /// <param name="text">The text to insert: well-formed UTF-16.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index or length is negative or past the end.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> contains an unpaired surrogate.</exception>
    public static TextOperation Insert(int documentCodePointLength, int codePointIndex, string text) =>
        FromEdit(documentCodePointLength, TextEdit.Insert(codePointIndex, text));

    /// <summary>Creates the operation "delete <paramref name="codePointCount"/> code points at <paramref name="codePointIndex"/>" on a document of <paramref name="documentCodePointLength"/> code points.</summary>
    /// <param name="documentCodePointLength">The length of the document the operation applies to, in code points.</param>
    /// <param name="codePointIndex">Where to delete, in code points.</param>
    /// <param name="codePointCount">How many code points to delete; <c>codePointIndex + codePointCount</c> must not pass <paramref name="documentCodePointLength"/>.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index, length or count is negative or the range passes the end.</exception>
    public static TextOperation Delete(int documentCodePointLength, int codePointIndex, int codePointCount) =>
        FromEdit(documentCodePointLength, TextEdit.Delete(codePointIndex, codePointCount));

    /// <summary>Creates the operation that performs <paramref name="edit"/> on a document of <paramref name="documentCodePointLength"/> code points.</summary>
    /// <param name="documentCodePointLength">The length of the document the operation applies to, in code points.</param>
    /// <param name="edit">The edit; its deleted range must lie inside the document.</param>
    /// <returns>The operation (an identity when the edit is empty).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="documentCodePointLength"/> is negative or the edit's range passes the end of the document.</exception>
    public static TextOperation FromEdit(int documentCodePointLength, TextEdit edit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(documentCodePointLength);
        if (edit.CodePointIndex > documentCodePointLength || edit.DeleteCodePointCount > documentCodePointLength - edit.CodePointIndex)
        {
            throw new ArgumentOutOfRangeException(
                nameof(edit),
                $"The edit {edit} reaches past the end of a document of {documentCodePointLength} code points.");
        }

        if (edit.IsEmpty)
        {
            return Identity(documentCodePointLength);
        }

        // Already in normal form: retain, insert, delete, retain, each present only when non-empty.
        int after = documentCodePointLength - edit.CodePointIndex - edit.DeleteCodePointCount;
        int count = (edit.CodePointIndex > 0 ? 1 : 0) + (edit.InsertCodePointLength > 0 ? 1 : 0) + (edit.DeleteCodePointCount > 0 ? 1 : 0) + (after > 0 ? 1 : 0);
        var components = new OperationComponent[count];
        int i = 0;
        if (edit.CodePointIndex > 0)
        {
            components[i++] = OperationComponent.Retain(edit.CodePointIndex);
        }

        if (edit.InsertCodePointLength > 0)
        {
            components[i++] = OperationComponent.TrustedInsert(edit.InsertText, edit.InsertCodePointLength);
        }

        if (edit.DeleteCodePointCount > 0)
        {
            components[i++] = OperationComponent.Delete(edit.DeleteCodePointCount);
        }

        if (after > 0)
        {
            components[i] = OperationComponent.Retain(after);
        }

        return new TextOperation(components, documentCodePointLength, documentCodePointLength - edit.DeleteCodePointCount + edit.InsertCodePointLength);
    }

    /// <summary>
    /// Creates one operation performing <paramref name="edits"/> one after another, each position counted in the
    /// document as the previous edits left it (the traces' convention); O(edits × components).
    /// </summary>
    /// <param name="documentCodePointLength">The length of the document the first edit applies to, in code points.</param>
    /// <param name="edits">The edits, in order.</param>
    /// <returns>The composed operation.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="edits"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="documentCodePointLength"/> is negative or an edit passes the end of the document at its turn.</exception>
    public static TextOperation FromEdits(int documentCodePointLength, IEnumerable<TextEdit> edits)
    {
        ArgumentNullException.ThrowIfNull(edits);
        TextOperation result = Identity(documentCodePointLength);
        foreach (TextEdit edit in edits)
        {
            result = result.Compose(FromEdit(result.TargetCodePointLength, edit));
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
                    position += component.CodePointLength;
                    break;
                case OperationComponentKind.Insert:
                {
                    int deleteCount = 0;
                    if (i + 1 < _components.Length && _components[i + 1].IsDelete)
                    {
                        deleteCount = _components[i + 1].CodePointLength;
                        i++;
                    }

                    edits.Add(new TextEdit(position, deleteCount, component.Text));
                    position += component.CodePointLength;
                    break;
                }

                default:
                    edits.Add(TextEdit.Delete(position, component.CodePointLength));
                    break;
            }
        }

        return edits;
    }
}
