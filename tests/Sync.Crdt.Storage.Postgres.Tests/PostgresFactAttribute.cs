// Every test in this assembly needs PostgreSQL, including the shared store contract compiled in from
// Sync.Crdt.Replication.Tests: these aliases make its [Fact] and [Theory] resolve to the skipping attributes below.
global using FactAttribute = Sync.Crdt.Storage.Postgres.Tests.PostgresFactAttribute;
global using TheoryAttribute = Sync.Crdt.Storage.Postgres.Tests.PostgresTheoryAttribute;

using System;

namespace Sync.Crdt.Storage.Postgres.Tests;

/// <summary>A fact that needs PostgreSQL: skipped, with the command that enables it, when SYNC_CRDT_POSTGRES is unset.</summary>
public sealed class PostgresFactAttribute : Xunit.FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresTestDatabase.ConnectionString is null)
        {
            Skip = PostgresTestDatabase.SkipReason;
        }
    }
}

/// <summary>A theory that needs PostgreSQL: skipped, with the command that enables it, when SYNC_CRDT_POSTGRES is unset.</summary>
public sealed class PostgresTheoryAttribute : Xunit.TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        if (PostgresTestDatabase.ConnectionString is null)
        {
            Skip = PostgresTestDatabase.SkipReason;
        }
    }
}

/// <summary>The test cluster (started by eng/postgres.sh) and fresh schemas in it, one per test.</summary>
public static class PostgresTestDatabase
{
    public const string SkipReason = "needs PostgreSQL: run eval \"$(eng/postgres.sh start)\" in this shell first (eng/postgres.sh stop when done); .ci/run does this";

    public static string? ConnectionString { get; } = NullIfEmpty(Environment.GetEnvironmentVariable("SYNC_CRDT_POSTGRES"));

    /// <summary>Gets the connection string, failing clearly when a test runs without one.</summary>
    public static string RequiredConnectionString => ConnectionString ?? throw new InvalidOperationException(SkipReason);

    /// <summary>A schema name no other test uses.</summary>
    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..20];

    public static PostgresDocumentStoreOptions Options(string schema, string? nodeId = null, PostgresNotifyMode mode = PostgresNotifyMode.AfterCommit) => new()
    {
        ConnectionString = RequiredConnectionString,
        Schema = schema,
        NodeId = nodeId ?? "node-" + Guid.NewGuid().ToString("N")[..8],
        NotifyMode = mode,
        ListenerHealthCheckInterval = TimeSpan.FromSeconds(1),
        ListenerHealthCheckTimeout = TimeSpan.FromSeconds(2),
        ReconnectDelayMin = TimeSpan.FromMilliseconds(50),
        ReconnectDelayMax = TimeSpan.FromSeconds(1),
        JitterSeed = 13,
    };

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
