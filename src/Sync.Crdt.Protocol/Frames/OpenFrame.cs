using System;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Protocol;

/// <summary>Opens a document on a channel: the client's half of the handshake.</summary>
/// <remarks>The handshake payload depends on the kind: a replication digest (values), a text state vector (text), or
/// the client's revision (OT); see docs/sync-protocol.md. Immutable.</remarks>
public sealed class OpenFrame : SyncFrame
{
    /// <summary>Creates an open frame.</summary>
    /// <param name="channel">The channel number the client picks (positive, unique among its open channels).</param>
    /// <param name="kind">The document kind.</param>
    /// <param name="document">The document name (1 to 1,024 UTF-16 code units, no NUL).</param>
    /// <param name="handshake">The kind's handshake payload.</param>
    public OpenFrame(long channel, DocumentKind kind, string document, ReadOnlyMemory<byte> handshake)
    {
        DocumentCommit.ThrowIfInvalidName(document, nameof(document));
        Channel = CheckChannel(channel);
        Kind = kind;
        Document = document;
        Handshake = handshake;
    }

    /// <inheritdoc/>
    public override FrameType Type => FrameType.Open;

    /// <summary>The channel.</summary>
    public long Channel { get; }

    /// <summary>The document kind (an undefined value decodes and is answered with <see cref="SyncErrorCode.UnknownKind"/>).</summary>
    public DocumentKind Kind { get; }

    /// <summary>The document name.</summary>
    public string Document { get; }

    /// <summary>The handshake payload.</summary>
    public ReadOnlyMemory<byte> Handshake { get; }
}
