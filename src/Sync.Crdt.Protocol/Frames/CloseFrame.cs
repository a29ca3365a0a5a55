namespace Sync.Crdt.Protocol;

/// <summary>The client closes a channel; the server stops sending on it.</summary>
/// <remarks>Immutable.</remarks>
public sealed class CloseFrame : SyncFrame
{
    /// <summary>Creates a close frame.</summary>
    /// <param name="channel">The channel.</param>
    public CloseFrame(long channel)
    {
        Channel = CheckChannel(channel);
    }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Close;

    /// <summary>The channel.</summary>
    public long Channel { get; }
}
