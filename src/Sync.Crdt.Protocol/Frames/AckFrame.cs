namespace Sync.Crdt.Protocol;

/// <summary>The server committed the client's update with this sequence number (and every earlier one on the channel)
/// to its store.</summary>
/// <remarks>Immutable. <see cref="Revision"/> is the OT revision the change received (0 for the other kinds).</remarks>
public sealed class AckFrame : SyncFrame
{
    /// <summary>Creates an ack.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="sequence">The acknowledged sequence number (positive).</param>
    /// <param name="revision">For OT documents, the revision of the applied operation; otherwise 0.</param>
    public AckFrame(long channel, long sequence, long revision)
    {
        Channel = CheckChannel(channel);
        Sequence = CheckChannel(sequence);
        Revision = CheckNonNegative(revision, nameof(revision));
    }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Ack;

    /// <summary>The channel.</summary>
    public long Channel { get; }

    /// <summary>The acknowledged sequence number.</summary>
    public long Sequence { get; }

    /// <summary>The OT revision (0 for other kinds).</summary>
    public long Revision { get; }
}
