using System;

namespace Sync.Crdt.Protocol;

/// <summary>A frame or payload violates the sync protocol; <see cref="Code"/> is the error frame to answer with.</summary>
/// <remarks>Thrown by the decoders before any state changes; the receiver answers with an error frame carrying
/// <see cref="Code"/> and closes the channel or the connection (see <see cref="SyncErrorCode"/>).</remarks>
public sealed class SyncProtocolException : Exception
{
    /// <summary>Creates an exception with <see cref="SyncErrorCode.MalformedFrame"/>.</summary>
    public SyncProtocolException()
        : this(SyncErrorCode.MalformedFrame, "The frame is malformed.")
    {
    }

    /// <summary>Creates an exception with <see cref="SyncErrorCode.MalformedFrame"/>.</summary>
    /// <param name="message">What is wrong.</param>
    public SyncProtocolException(string message)
        : this(SyncErrorCode.MalformedFrame, message)
    {
    }

    /// <summary>Creates an exception with <see cref="SyncErrorCode.MalformedFrame"/> and an inner exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SyncProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = SyncErrorCode.MalformedFrame;
    }

    /// <summary>Creates an exception with a code.</summary>
    /// <param name="code">The error frame's code.</param>
    /// <param name="message">What is wrong.</param>
    public SyncProtocolException(SyncErrorCode code, string message)
        : base(message)
    {
        Code = code;
    }

    /// <summary>Creates an exception with a code and an inner exception.</summary>
    /// <param name="code">The error frame's code.</param>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SyncProtocolException(SyncErrorCode code, string message, Exception innerException)
        : base(message, innerException)
    {
        Code = code;
    }

    /// <summary>The error code to send.</summary>
    public SyncErrorCode Code { get; }

    /// <summary><see langword="true"/> when the code closes the connection, not only a channel.</summary>
    public bool ClosesConnection => (int)Code < 100;
}
