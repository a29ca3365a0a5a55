using Sync.Crdt.Annotations;

namespace Sync.Crdt.Storage.Postgres;

/// <summary>Counters of a <see cref="PostgresDocumentStore"/>'s change listener, for health checks and tests.</summary>
/// <remarks>An immutable snapshot of the counters; thread-safe.</remarks>
[Immutable]
public readonly record struct PostgresListenerStatistics
{
    /// <summary>Gets a value indicating whether the listener is connected and listening now.</summary>
    public bool IsListening { get; init; }

    /// <summary>Gets the number of times the listener connected and started listening (each raised a Resync).</summary>
    public long Connections { get; init; }

    /// <summary>Gets the number of connection attempts or connections that failed.</summary>
    public long Failures { get; init; }

    /// <summary>Gets the number of doorbells received from other stores.</summary>
    public long Notifications { get; init; }
}
