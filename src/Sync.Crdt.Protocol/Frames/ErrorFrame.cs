using System;

namespace Sync.Crdt.Protocol;

/// <summary>An error on a channel (which the sender then treats as closed) or on the connection (channel 0; the
/// connection closes after it when the code is below 100).</summary>
/// <remarks>Immutable.</remarks>
public sealed class ErrorFrame : SyncFrame
{
    /// <summary>Creates an error frame.</summary>
    /// <param name="channel">The channel, or <see cref="SyncProtocol.ConnectionChannel"/>.</param>
    /// <param name="code">The error code.</param>
    /// <param name="message">A human-readable explanation (may be empty).</param>
    public ErrorFrame(long channel, SyncErrorCode code, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Channel = CheckChannel(channel, allowConnection: true);
        Code = code;
        Message = message;
    }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Error;

    /// <summary>The channel, or 0 for the connection.</summary>
    public long Channel { get; }

    /// <summary>The error code.</summary>
    public SyncErrorCode Code { get; }

    /// <summary>The explanation.</summary>
    public string Message { get; }

    /// <inheritdoc/>
    public override string ToString() => $"error {Code} on channel {Channel}: {Message}";
}
