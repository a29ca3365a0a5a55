using System;
using Sync.Crdt.Annotations;
using Sync.Crdt.Text.Internal;

namespace Sync.Crdt.Text;

/// <summary>
/// Enumerates a <see cref="TextDocument"/>'s visible text as runs of code units in document order, without copying or
/// allocating. Returned by <see cref="TextDocument.EnumerateRuns"/>; usable directly in <c>foreach</c>.
/// </summary>
/// <remarks>Each run is a view of the document's buffer and is valid until the document next changes;
/// <see cref="MoveNext"/> throws <see cref="InvalidOperationException"/> once it has changed. Not thread-safe.</remarks>
[Mutable]
public struct TextRunEnumerator
{
    private readonly TextDocument _document;
    private readonly int _version;
    private int _next;
    private ReadOnlyMemory<char> _current;

    internal TextRunEnumerator(TextDocument document)
    {
        _document = document;
        _version = document.Version;
        _next = document.Store.Head;
        _current = default;
    }

    /// <summary>Gets the current run (never empty).</summary>
    public readonly ReadOnlyMemory<char> Current => _current;

    /// <summary>Returns this enumerator, so that it can be used in <c>foreach</c>.</summary>
    /// <returns>This enumerator.</returns>
    public readonly TextRunEnumerator GetEnumerator() => this;

    /// <summary>Advances to the next visible run.</summary>
    /// <returns><see langword="false"/> at the end of the text.</returns>
    /// <exception cref="InvalidOperationException">The document changed since the enumeration started.</exception>
    public bool MoveNext()
    {
        if (_document is null)
        {
            return false;
        }

        if (_document.Version != _version)
        {
            throw new InvalidOperationException("The document changed during enumeration.");
        }

        while (_next >= 0)
        {
            ref ItemRecord item = ref _document.Store[_next];
            _next = item.Right;
            if (item.Content >= 0)
            {
                _current = _document.Store.Content(item.Content, item.Length);
                return true;
            }
        }

        return false;
    }
}
