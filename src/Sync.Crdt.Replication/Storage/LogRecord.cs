using System;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Replication.Storage;

/// <summary>One record of a document's log: its position (1, 2, 3, ... in commit order) and its payload.</summary>
/// <remarks>An immutable value; thread-safe.</remarks>
[Immutable]
public readonly record struct LogRecord
{
    /// <summary>Creates a record.</summary>
    /// <param name="position">The record's position (at least 1).</param>
    /// <param name="payload">The record's bytes.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="position"/> is less than 1.</exception>
    public LogRecord(long position, ReadOnlyMemory<byte> payload)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(position, 1);
        Position = position;
        Payload = payload;
    }

    /// <summary>Gets the record's position.</summary>
    public long Position { get; }

    /// <summary>Gets the record's bytes.</summary>
    public ReadOnlyMemory<byte> Payload { get; }
}
