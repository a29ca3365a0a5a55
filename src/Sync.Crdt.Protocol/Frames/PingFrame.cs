namespace Sync.Crdt.Protocol;

/// <summary>A keepalive request; the receiver answers with a <see cref="PongFrame"/> carrying the same nonce.</summary>
/// <remarks>Immutable.</remarks>
public sealed class PingFrame : SyncFrame
{
    /// <summary>Creates a ping.</summary>
    /// <param name="nonce">Any non-negative number, echoed by the pong.</param>
    public PingFrame(long nonce)
    {
        Nonce = CheckNonNegative(nonce, nameof(nonce));
    }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Ping;

    /// <summary>The nonce.</summary>
    public long Nonce { get; }
}
