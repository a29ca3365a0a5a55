using System;

namespace Sync.Crdt.Protocol;

/// <summary>The server's half of the handshake on a channel: what the client lacks, and what the server holds.</summary>
/// <remarks>Immutable. The payload depends on the kind (docs/sync-protocol.md).</remarks>
public sealed class SyncedFrame : SyncFrame
{
    /// <summary>Creates a synced frame.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="payload">The kind's handshake answer.</param>
    public SyncedFrame(long channel, ReadOnlyMemory<byte> payload)
    {
        Channel = CheckChannel(channel);
        Payload = payload;
    }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Synced;

    /// <summary>The channel.</summary>
    public long Channel { get; }

    /// <summary>The payload.</summary>
    public ReadOnlyMemory<byte> Payload { get; }
}
