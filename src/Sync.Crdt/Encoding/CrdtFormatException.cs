using System;

namespace Sync.Crdt.Encoding;

/// <summary>
/// The one exception every Sync.Crdt decoder throws for input it cannot accept: truncated or corrupt bytes,
/// an unknown format version or type tag, a length beyond the configured limits, or a value that would break
/// a type's invariants (for example a dot that its causal context does not cover).
/// </summary>
/// <remarks>
/// The message says what was wrong and, where known, the byte offset (<see cref="Offset"/>) at which the
/// decoder noticed. A decoder that throws this exception has produced no value and changed no state.
/// </remarks>
public sealed class CrdtFormatException : FormatException
{
    /// <summary>Creates an exception with a default message.</summary>
    public CrdtFormatException()
        : base("The data is not a valid Sync.Crdt encoding.")
    {
        Offset = -1;
    }

    /// <summary>Creates an exception with the given message and no known offset.</summary>
    /// <param name="message">What was wrong with the input.</param>
    public CrdtFormatException(string message)
        : base(message)
    {
        Offset = -1;
    }

    /// <summary>Creates an exception with the given message and inner exception, and no known offset.</summary>
    /// <param name="message">What was wrong with the input.</param>
    /// <param name="innerException">The exception that revealed the problem.</param>
    public CrdtFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Offset = -1;
    }

    /// <summary>Creates an exception for a problem found at a byte offset; the offset is appended to the message.</summary>
    /// <param name="message">What was wrong with the input.</param>
    /// <param name="offset">The byte offset, from the start of the input, at which the problem was found.</param>
    public CrdtFormatException(string message, long offset)
        : base(offset >= 0 ? $"{message} (at byte offset {offset})" : message)
    {
        Offset = offset;
    }

    /// <summary>Creates an exception for a problem found at a byte offset, caused by <paramref name="innerException"/>; the offset is appended to the message.</summary>
    /// <param name="message">What was wrong with the input.</param>
    /// <param name="offset">The byte offset, from the start of the input, at which the problem was found.</param>
    /// <param name="innerException">The exception that revealed the problem.</param>
    public CrdtFormatException(string message, long offset, Exception? innerException)
        : base(offset >= 0 ? $"{message} (at byte offset {offset})" : message, innerException)
    {
        Offset = offset;
    }

    /// <summary>Gets the byte offset at which the decoder noticed the problem, or -1 when not known (for example in JSON input).</summary>
    public long Offset { get; }
}
