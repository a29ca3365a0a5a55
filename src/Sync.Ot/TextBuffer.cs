using System;
using Sync.Crdt.Annotations;

namespace Sync.Ot;

/// <summary>
/// A mutable plain-text document (a gap buffer) that applies <see cref="TextOperation"/>s and
/// <see cref="TextEdit"/>s in place, addressed in code points like the operations.
/// </summary>
/// <remarks>
/// <para>Applying an operation costs O(components + inserted text + distance the gap moves), not O(document
/// length), so replaying long editing sessions (whose edits are mostly near each other) stays fast; the servers and
/// clients of this assembly keep their document in one. While the document holds no characters above U+FFFF,
/// code point positions map to UTF-16 offsets directly; otherwise the mapping scans from the start or from the gap
/// with a vectorized search for surrogates.</para>
/// <para>Every mutation validates first and then changes the buffer, so a rejected operation leaves it untouched.
/// The content is always well-formed UTF-16. Not thread-safe: callers serialize access.</para>
/// </remarks>
[Mutable]
public sealed class TextBuffer
{
    private const int MinimumCapacity = 16;

    private char[] _chars;
    private int _gapStart;
    private int _gapEnd;
    private int _gapStartPosition;
    private int _pairCount;

    /// <summary>Creates an empty buffer.</summary>
    public TextBuffer()
        : this(string.Empty)
    {
    }

    /// <summary>Creates a buffer holding <paramref name="text"/>; O(length of the text).</summary>
    /// <param name="text">The initial content: well-formed UTF-16.</param>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> contains an unpaired surrogate.</exception>
    public TextBuffer(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int length = CodePointText.CountValid(text, nameof(text));
        _chars = new char[Math.Max(MinimumCapacity, text.Length * 2)];
        int capacity = _chars.Length;
        text.CopyTo(0, _chars, capacity - text.Length, text.Length);
        _gapStart = 0;
        _gapEnd = capacity - text.Length;
        _gapStartPosition = 0;
        CodePointLength = length;
        _pairCount = text.Length - length;
    }

    /// <summary>Gets the length of the document in code points (the unit of every position).</summary>
    public int CodePointLength { get; private set; }

    /// <summary>Gets the length of the document in UTF-16 code units.</summary>
    public int Utf16Length => _chars.Length - (_gapEnd - _gapStart);

    /// <summary>Applies <paramref name="operation"/> in place.</summary>
    /// <param name="operation">The operation; its <see cref="TextOperation.BaseCodePointLength"/> must equal <see cref="CodePointLength"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The operation applies to a different length; the buffer is unchanged.</exception>
    public void Apply(TextOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        operation.ThrowIfBaseLengthDiffers(CodePointLength, nameof(operation));
        int position = 0;
        foreach (OperationComponent component in operation.RawComponents)
        {
            switch (component.Kind)
            {
                case OperationComponentKind.Retain:
                    position += component.CodePointLength;
                    break;
                case OperationComponentKind.Insert:
                    InsertAt(position, component.Text, component.CodePointLength);
                    position += component.CodePointLength;
                    break;
                default:
                    DeleteAt(position, component.CodePointLength);
                    break;
            }
        }
    }

    /// <summary>Applies <paramref name="edit"/> in place: deletes its range, then inserts its text.</summary>
    /// <param name="edit">The edit; its deleted range must lie inside the document.</param>
    /// <exception cref="ArgumentOutOfRangeException">The edit reaches past the end; the buffer is unchanged.</exception>
    public void Apply(TextEdit edit)
    {
        if (edit.CodePointIndex > CodePointLength || edit.DeleteCodePointCount > CodePointLength - edit.CodePointIndex)
        {
            throw new ArgumentOutOfRangeException(
                nameof(edit),
                $"The edit {edit} reaches past the end of a document of {CodePointLength} code points.");
        }

        DeleteAt(edit.CodePointIndex, edit.DeleteCodePointCount);
        InsertAt(edit.CodePointIndex, edit.InsertText, edit.InsertCodePointLength);
    }

    /// <summary>Returns <paramref name="codePointCount"/> code points starting at <paramref name="codePointIndex"/>.</summary>
    /// <param name="codePointIndex">The first code point, counted from 0.</param>
    /// <param name="codePointCount">How many code points.</param>
    /// <returns>The text.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is negative or passes the end.</exception>
    public string GetText(int codePointIndex, int codePointCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(codePointIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(codePointCount);
        if (codePointIndex > CodePointLength || codePointCount > CodePointLength - codePointIndex)
        {
            throw new ArgumentOutOfRangeException(nameof(codePointCount), $"The range [{codePointIndex}, {codePointIndex}+{codePointCount}) passes the end of a document of {CodePointLength} code points.");
        }

        int start = CharIndex(codePointIndex);
        int end = CharIndex(codePointIndex + codePointCount);
        return Concat(start, end);
    }

    /// <summary>Returns the whole document; O(length).</summary>
    /// <returns>The document text.</returns>
    public override string ToString() => Concat(0, Utf16Length);

    private string Concat(int start, int end)
    {
        // start/end are logical UTF-16 indices (ignoring the gap).
        int gapLength = _gapEnd - _gapStart;
        if (end <= _gapStart)
        {
            return new string(_chars, start, end - start);
        }

        if (start >= _gapStart)
        {
            return new string(_chars, start + gapLength, end - start);
        }

        return string.Concat(
            _chars.AsSpan(start, _gapStart - start),
            _chars.AsSpan(_gapEnd, end - _gapStart));
    }

    /// <summary>Returns the logical UTF-16 index (ignoring the gap) of code point <paramref name="position"/>.</summary>
    private int CharIndex(int position)
    {
        if (_pairCount == 0)
        {
            return position;
        }

        if (position == _gapStartPosition)
        {
            return _gapStart;
        }

        if (position < _gapStartPosition)
        {
            return CodePointText.CharOffset(_chars.AsSpan(0, _gapStart), position);
        }

        return _gapStart + CodePointText.CharOffset(_chars.AsSpan(_gapEnd), position - _gapStartPosition);
    }

    private void MoveGap(int charIndex, int position)
    {
        if (charIndex < _gapStart)
        {
            int count = _gapStart - charIndex;
            Array.Copy(_chars, charIndex, _chars, _gapEnd - count, count);
            _gapStart -= count;
            _gapEnd -= count;
        }
        else if (charIndex > _gapStart)
        {
            int count = charIndex - _gapStart;
            Array.Copy(_chars, _gapEnd, _chars, _gapStart, count);
            _gapStart += count;
            _gapEnd += count;
        }

        _gapStartPosition = position;
    }

    private void InsertAt(int position, string text, int length)
    {
        if (length == 0)
        {
            return;
        }

        MoveGap(CharIndex(position), position);
        if (_gapEnd - _gapStart < text.Length)
        {
            Grow(text.Length);
        }

        text.CopyTo(0, _chars, _gapStart, text.Length);
        _gapStart += text.Length;
        _gapStartPosition += length;
        CodePointLength += length;
        _pairCount += text.Length - length;
    }

    private void DeleteAt(int position, int count)
    {
        if (count == 0)
        {
            return;
        }

        MoveGap(CharIndex(position), position);
        int chars = _pairCount == 0 ? count : CodePointText.CharOffset(_chars.AsSpan(_gapEnd), count);
        _gapEnd += chars;
        CodePointLength -= count;
        _pairCount -= chars - count;
    }

    private void Grow(int needed)
    {
        int used = Utf16Length;
        int capacity = Math.Max(checked((used + needed) * 2), MinimumCapacity);
        var chars = new char[capacity];
        int tail = _chars.Length - _gapEnd;
        Array.Copy(_chars, 0, chars, 0, _gapStart);
        Array.Copy(_chars, _gapEnd, chars, capacity - tail, tail);
        _chars = chars;
        _gapEnd = capacity - tail;
    }
}
