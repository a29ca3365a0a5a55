using System;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Protocol;

/// <summary>Ephemeral presence of one participant on a text document; an empty payload means the participant left.</summary>
/// <remarks>Immutable. From a client, <see cref="Replica"/> is ignored (the server stamps the connection's replica id);
/// from the server it names the participant. The payload is a <see cref="PresenceState"/> encoded by
/// <see cref="PayloadCodec"/>. Presence is never stored.</remarks>
public sealed class PresenceFrame : SyncFrame
{
    /// <summary>Creates a presence frame.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="replica">The participant (from the server) or <see langword="default"/> (from a client).</param>
    /// <param name="payload">The encoded state, or empty when the participant left.</param>
    public PresenceFrame(long channel, ReplicaId replica, ReadOnlyMemory<byte> payload)
    {
        Channel = CheckChannel(channel);
        Replica = replica;
        Payload = payload;
    }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Presence;

    /// <summary>The channel.</summary>
    public long Channel { get; }

    /// <summary>The participant, or <see langword="default"/> on a client's frame.</summary>
    public ReplicaId Replica { get; }

    /// <summary>The encoded presence state; empty = left.</summary>
    public ReadOnlyMemory<byte> Payload { get; }
}
