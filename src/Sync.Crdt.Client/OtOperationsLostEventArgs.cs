using System;
using System.Collections.Generic;
using Sync.Ot;

namespace Sync.Crdt.Client;

/// <summary>
/// Unacknowledged local OT operations the server can no longer take: its history no longer reaches back to the
/// revision they were made on (it was compacted into a snapshot), so they cannot be transformed; the document restarted
/// from the server's snapshot without them. Raised by <see cref="OtSyncDocument.OperationsLost"/>.
/// </summary>
/// <remarks>The operations apply to the server's text at <see cref="BaseRevision"/>; <see cref="LocalText"/> is what
/// the user saw with them applied. An application can show the local text, merge it by hand, or re-apply the edits as
/// new ones. Immutable.</remarks>
public sealed class OtOperationsLostEventArgs : EventArgs
{
    /// <summary>Creates the event data.</summary>
    /// <param name="baseRevision">The revision the operations were made on.</param>
    /// <param name="operations">The lost operations, in order (the in-flight one, then the buffered ones composed).</param>
    /// <param name="localText">The text with the operations applied.</param>
    /// <param name="serverRevision">The revision of the snapshot the document restarted from.</param>
    public OtOperationsLostEventArgs(long baseRevision, IReadOnlyList<TextOperation> operations, string localText, long serverRevision)
    {
        BaseRevision = baseRevision;
        Operations = operations;
        LocalText = localText;
        ServerRevision = serverRevision;
    }

    /// <summary>The revision the lost operations were made on.</summary>
    public long BaseRevision { get; }

    /// <summary>The lost operations in order; the first applies to the server's text at <see cref="BaseRevision"/>, each next one to the previous result.</summary>
    public IReadOnlyList<TextOperation> Operations { get; }

    /// <summary>The text with the lost operations applied (what the user saw before the resync).</summary>
    public string LocalText { get; }

    /// <summary>The revision of the server snapshot the document continues from.</summary>
    public long ServerRevision { get; }
}
