using System;
using System.Collections.Generic;
using Sync.Ot;

namespace Sync.Crdt.Protocol;

/// <summary>The server's handshake answer on an OT channel: a snapshot when the client's revision is unknown or too
/// old, then the operations after it (or after the client's revision).</summary>
/// <remarks>Immutable.</remarks>
public sealed class OtSyncAnswer
{
    /// <summary>Creates an answer.</summary>
    /// <param name="snapshot">The document at some revision, or <see langword="null"/> when the operations continue
    /// from the client's revision.</param>
    /// <param name="operations">The operations after the snapshot (or the client's revision), in revision order.</param>
    public OtSyncAnswer(DocumentSnapshot? snapshot, IReadOnlyList<OtCommittedOperation> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        Snapshot = snapshot;
        Operations = operations;
    }

    /// <summary>The snapshot, if any.</summary>
    public DocumentSnapshot? Snapshot { get; }

    /// <summary>The operations.</summary>
    public IReadOnlyList<OtCommittedOperation> Operations { get; }
}
