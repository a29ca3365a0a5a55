using System;
using Sync.Crdt.Causality;
using Sync.Crdt.Text;

namespace Sync.Crdt.Protocol;

/// <summary>The server's handshake answer on a text channel: its state vector (so the client can send what the server
/// lacks) and the update holding exactly what the client lacks.</summary>
/// <remarks>Immutable.</remarks>
public sealed class TextSyncAnswer
{
    /// <summary>Creates an answer.</summary>
    /// <param name="stateVector">The server document's state vector.</param>
    /// <param name="update">What the client lacks.</param>
    public TextSyncAnswer(VersionVector stateVector, TextUpdate update)
    {
        ArgumentNullException.ThrowIfNull(stateVector);
        StateVector = stateVector;
        Update = update;
    }

    /// <summary>The server's state vector.</summary>
    public VersionVector StateVector { get; }

    /// <summary>The update the client lacks.</summary>
    public TextUpdate Update { get; }
}
