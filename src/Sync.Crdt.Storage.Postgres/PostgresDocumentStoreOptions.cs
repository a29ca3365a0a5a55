using System;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Storage.Postgres;

/// <summary>Settings of a <see cref="PostgresDocumentStore"/>; <see cref="ConnectionString"/> is required.</summary>
/// <remarks>Immutable once built (init-only); validated when the store opens. Thread-safe.</remarks>
[Immutable]
public sealed partial class PostgresDocumentStoreOptions
{
    /// <summary>Gets the Npgsql connection string (host, port, database, user, password, pool size, timeouts).</summary>
    public string ConnectionString { get; init; } = string.Empty;

    /// <summary>Gets the PostgreSQL schema holding the store's tables (default <c>sync_crdt</c>; lower-case letters, digits and underscores, at most 63).
    /// Several independent stores may share a database under different schemas.</summary>
    public string Schema { get; init; } = "sync_crdt";

    /// <summary>Gets when the cross-node doorbell is sent (default <see cref="PostgresNotifyMode.AfterCommit"/>).</summary>
    public PostgresNotifyMode NotifyMode { get; init; } = PostgresNotifyMode.AfterCommit;

    /// <summary>Gets this node's identity in the node-cursor table (default: machine name plus process id). Must be unique among live nodes.</summary>
    public string NodeId { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Gets how long a node that stopped sending heartbeats keeps pinning log rows with its cursors (default 10 min).</summary>
    public TimeSpan NodeExpiry { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets how long the change listener waits without a notification before checking its connection (default 5 s).</summary>
    public TimeSpan ListenerHealthCheckInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets how long the listener's health check may take before the connection counts as lost (default 5 s).</summary>
    public TimeSpan ListenerHealthCheckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets the first delay before the listener reconnects (doubled per failed attempt, with jitter; default 100 ms).</summary>
    public TimeSpan ReconnectDelayMin { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets the longest delay between the listener's reconnect attempts (default 10 s).</summary>
    public TimeSpan ReconnectDelayMax { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the seed of the reconnect jitter (default: random), so tests can fix it.</summary>
    public int? JitterSeed { get; init; }

    /// <summary>Gets the clock for backoff and heartbeats (default <see cref="TimeProvider.System"/>).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Gets the logger factory for the listener's and the notifier's events (default: no logging).</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Gets the NOTIFY channel name derived from the schema: every store on the same schema shares it.</summary>
    internal string Channel => Schema + "_changes";

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentException">A setting is invalid (the message names it).</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new ArgumentException("A connection string is required.", nameof(ConnectionString));
        }

        if (Schema is null || !SchemaName().IsMatch(Schema))
        {
            throw new ArgumentException("The schema name must be 1 to 55 lower-case ASCII letters, digits or underscores, starting with a letter or underscore.", nameof(Schema));
        }

        if (string.IsNullOrEmpty(NodeId) || NodeId.Length > 200)
        {
            throw new ArgumentException("The node id must be 1 to 200 characters.", nameof(NodeId));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(NodeExpiry, TimeSpan.Zero, nameof(NodeExpiry));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ListenerHealthCheckInterval, TimeSpan.Zero, nameof(ListenerHealthCheckInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(ListenerHealthCheckTimeout, TimeSpan.FromSeconds(1), nameof(ListenerHealthCheckTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectDelayMin, TimeSpan.Zero, nameof(ReconnectDelayMin));
        ArgumentOutOfRangeException.ThrowIfLessThan(ReconnectDelayMax, ReconnectDelayMin, nameof(ReconnectDelayMax));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        if (!Enum.IsDefined(NotifyMode))
        {
            throw new ArgumentException("Unknown notify mode.", nameof(NotifyMode));
        }
    }

    // The channel name adds "_changes" (8 characters) and must stay within PostgreSQL's 63-byte identifier limit.
    [GeneratedRegex("^[a-z_][a-z0-9_]{0,54}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
