using System;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Protocol;

/// <summary>The client's first frame: the protocol version it speaks, its capabilities and its replica id.</summary>
/// <remarks>The replica id is bound to the connection: every change the client sends may only contain events of this
/// replica. Immutable.</remarks>
public sealed class HelloFrame : SyncFrame
{
    /// <summary>Creates a hello.</summary>
    /// <param name="version">The protocol version (positive).</param>
    /// <param name="capabilities">The client's capabilities.</param>
    /// <param name="replica">The client's replica id.</param>
    public HelloFrame(int version, SyncCapabilities capabilities, ReplicaId replica)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        if (replica.IsDefault)
        {
            throw new ArgumentException("A hello needs a replica id.", nameof(replica));
        }

        Version = version;
        Capabilities = capabilities;
        Replica = replica;
    }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Hello;

    /// <summary>The protocol version.</summary>
    public int Version { get; }

    /// <summary>The client's capabilities.</summary>
    public SyncCapabilities Capabilities { get; }

    /// <summary>The client's replica id.</summary>
    public ReplicaId Replica { get; }
}
