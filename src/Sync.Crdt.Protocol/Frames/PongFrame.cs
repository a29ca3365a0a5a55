namespace Sync.Crdt.Protocol;

/// <summary>The answer to a <see cref="PingFrame"/>.</summary>
/// <remarks>Immutable.</remarks>
public sealed class PongFrame : SyncFrame
{
    /// <summary>Creates a pong.</summary>
    /// <param name="nonce">The ping's nonce.</param>
    public PongFrame(long nonce)
    {
        Nonce = CheckNonNegative(nonce, nameof(nonce));
    }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Pong;

    /// <summary>The nonce.</summary>
    public long Nonce { get; }
}
