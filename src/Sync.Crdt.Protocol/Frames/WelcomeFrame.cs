using System;

namespace Sync.Crdt.Protocol;

/// <summary>The server's answer to an accepted hello: the version in use, the server's capabilities and its limits.</summary>
/// <remarks>Immutable.</remarks>
public sealed class WelcomeFrame : SyncFrame
{
    /// <summary>Creates a welcome.</summary>
    /// <param name="version">The protocol version in use (positive).</param>
    /// <param name="capabilities">The server's capabilities.</param>
    /// <param name="maxFrameBytes">The largest frame the server accepts (positive).</param>
    /// <param name="maxDocuments">The most channels the connection may have open (positive).</param>
    /// <param name="keepaliveMilliseconds">How often the server expects a frame (a ping at least) from the client; 0 = no keepalive.</param>
    public WelcomeFrame(int version, SyncCapabilities capabilities, int maxFrameBytes, int maxDocuments, long keepaliveMilliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrameBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDocuments);
        Version = version;
        Capabilities = capabilities;
        MaxFrameBytes = maxFrameBytes;
        MaxDocuments = maxDocuments;
        KeepaliveMilliseconds = CheckNonNegative(keepaliveMilliseconds, nameof(keepaliveMilliseconds));
    }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Welcome;

    /// <summary>The protocol version in use.</summary>
    public int Version { get; }

    /// <summary>The server's capabilities.</summary>
    public SyncCapabilities Capabilities { get; }

    /// <summary>The largest frame the server accepts, in bytes.</summary>
    public int MaxFrameBytes { get; }

    /// <summary>The most channels one connection may have open.</summary>
    public int MaxDocuments { get; }

    /// <summary>The keepalive interval in milliseconds (0: none).</summary>
    public long KeepaliveMilliseconds { get; }
}
