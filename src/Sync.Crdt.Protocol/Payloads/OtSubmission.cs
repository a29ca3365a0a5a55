using System;
using Sync.Ot;

namespace Sync.Crdt.Protocol;

/// <summary>A client's OT operation: the payload of a client's update frame on an OT channel.</summary>
/// <remarks>Immutable. The author is the connection's replica id, never part of the payload, so a client cannot speak
/// for another.</remarks>
public sealed class OtSubmission
{
    /// <summary>Creates a submission.</summary>
    /// <param name="baseRevision">The server revision the operation applies to.</param>
    /// <param name="operation">The operation.</param>
    public OtSubmission(long baseRevision, TextOperation operation)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(baseRevision);
        ArgumentNullException.ThrowIfNull(operation);
        BaseRevision = baseRevision;
        Operation = operation;
    }

    /// <summary>The revision the operation applies to.</summary>
    public long BaseRevision { get; }

    /// <summary>The operation.</summary>
    public TextOperation Operation { get; }
}
