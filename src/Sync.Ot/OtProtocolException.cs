using System;

namespace Sync.Ot;

/// <summary>
/// The exception this assembly throws when a server or client is given a message that breaks the OT protocol
/// (a rejected submission passed to <see cref="ServerResponse.EnsureAccepted"/>, an acknowledgement nobody waits for,
/// a revision out of order). The object that threw is left exactly as it was. Malformed arguments (null, an
/// unpaired surrogate, an operation of the wrong length passed to <see cref="TextOperation"/> methods) throw the usual
/// <see cref="ArgumentException"/> family instead.
/// </summary>
public sealed class OtProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OtProtocolException()
        : this(ProtocolError.None, "The OT protocol was violated.")
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    public OtProtocolException(string message)
        : this(ProtocolError.None, message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public OtProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="error">Which rule was broken.</param>
    /// <param name="message">What went wrong.</param>
    public OtProtocolException(ProtocolError error, string message)
        : base(message)
    {
        Error = error;
    }

    /// <summary>Gets which protocol rule was broken.</summary>
    public ProtocolError Error { get; }
}
