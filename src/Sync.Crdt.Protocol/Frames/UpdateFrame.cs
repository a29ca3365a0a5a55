using System;

namespace Sync.Crdt.Protocol;

/// <summary>A change on a channel. From a client, a positive <see cref="Sequence"/> asks for an <see cref="AckFrame"/>
/// once the change is durable; from the server, the sequence is 0.</summary>
/// <remarks>Immutable. The payload depends on the kind (docs/sync-protocol.md).</remarks>
public sealed class UpdateFrame : SyncFrame
{
    /// <summary>Creates an update frame.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="sequence">The client's sequence number for the ack (positive, increasing per channel), or 0 for none.</param>
    /// <param name="payload">The kind's change payload.</param>
    public UpdateFrame(long channel, long sequence, ReadOnlyMemory<byte> payload)
    {
        Channel = CheckChannel(channel);
        Sequence = CheckNonNegative(sequence, nameof(sequence));
        Payload = payload;
    }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Update;

    /// <summary>The channel.</summary>
    public long Channel { get; }

    /// <summary>The sequence number (0: no ack requested).</summary>
    public long Sequence { get; }

    /// <summary>The payload.</summary>
    public ReadOnlyMemory<byte> Payload { get; }
}
