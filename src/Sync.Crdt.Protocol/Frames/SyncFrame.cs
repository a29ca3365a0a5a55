using System;

namespace Sync.Crdt.Protocol;

/// <summary>One frame of the sync protocol: exactly one WebSocket binary message (docs/sync-protocol.md, "Frames").</summary>
/// <remarks>Frames are immutable and thread-safe. Encode with <see cref="FrameCodec.Encode"/>, decode with
/// <see cref="FrameCodec.Decode"/>. Payload memory is never copied by the frame: do not change it after creating one.</remarks>
public abstract class SyncFrame
{
    private protected SyncFrame()
    {
    }

    /// <summary>The frame's type byte.</summary>
    public abstract FrameType Type { get; }

    private protected static long CheckChannel(long channel, bool allowConnection = false)
    {
        if (channel < (allowConnection ? 0 : 1))
        {
            throw new ArgumentOutOfRangeException(nameof(channel), channel, allowConnection ? "A channel is 0 (the connection) or positive." : "A document channel is positive.");
        }

        return channel;
    }

    private protected static long CheckNonNegative(long value, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value, name);
        return value;
    }
}
