using System;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication.Storage;

/// <summary>A document's snapshot: its state through log position <see cref="Position"/> (every record at or before it is included).</summary>
/// <remarks>Immutable once created: the store keeps the memory it is given, so do not change the array afterwards. Thread-safe.</remarks>
[Immutable]
public sealed class StoredSnapshot
{
    /// <summary>Creates a snapshot.</summary>
    /// <param name="position">The last log position the state includes (0: none).</param>
    /// <param name="payload">The encoded state.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="position"/> is negative.</exception>
    public StoredSnapshot(long position, ReadOnlyMemory<byte> payload)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        Position = position;
        Payload = payload;
    }

    /// <summary>Gets the last log position the state includes.</summary>
    public long Position { get; }

    /// <summary>Gets the encoded state.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>Returns a short description for logs.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"Snapshot through {Position} ({Payload.Length} bytes)";
}
