using System;
using Sync.Crdt.Causality;

namespace Sync.Crdt.Replication;

/// <summary>
/// Hands one encoded frame to the transport for delivery to <paramref name="recipient"/>: a
/// <see cref="ReplicationPump"/>'s only way out.
/// </summary>
/// <param name="recipient">The replica to deliver to.</param>
/// <param name="frame">
/// Exactly one encoded replication message (frame it as the transport needs, e.g. one WebSocket message or a length
/// prefix on a stream). The pump never reuses or changes the memory, so it may be queued without copying; one frame
/// may be handed to several recipients (a sync round's digest), so do not change it either.
/// </param>
/// <remarks>
/// Called on the thread that called the pump, outside the pump's and the replicator's locks. It must not block:
/// enqueue the frame (into a bounded queue per peer) and return. When the peer is unreachable or its queue is full,
/// drop the frame; the protocol repairs lost messages on the next sync round. An exception propagates to the pump's
/// caller and the call's remaining frames are not handed over (as if they were lost).
/// </remarks>
public delegate void FrameSender(ReplicaId recipient, ReadOnlyMemory<byte> frame);
