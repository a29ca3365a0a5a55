using System;
using Sync.Crdt.Annotations;

namespace Sync.Crdt.Storage.Sqlite;

/// <summary>Settings of a <see cref="SqliteDocumentStore"/>.</summary>
/// <remarks>Immutable once built; thread-safe.</remarks>
[Immutable]
public sealed class SqliteDocumentStoreOptions
{
    /// <summary>The default for <see cref="MaxCommitsPerTransaction"/>.</summary>
    public const int DefaultMaxCommitsPerTransaction = 1024;

    /// <summary>Gets the default settings: <see cref="SqliteDurability.Full"/>, at most <see cref="DefaultMaxCommitsPerTransaction"/> commits per transaction.</summary>
    public static SqliteDocumentStoreOptions Default { get; } = new();

    /// <summary>Gets how far a commit is on disk when its task completes (see <see cref="SqliteDurability"/>); <see cref="SqliteDurability.Full"/> by default.</summary>
    public SqliteDurability Durability { get; init; } = SqliteDurability.Full;

    /// <summary>
    /// Gets the most commits the writer groups into one SQLite transaction (group commit). Commits that arrive while a
    /// transaction is being written queue up and go into the next one together, so one disk sync serves them all.
    /// </summary>
    public int MaxCommitsPerTransaction { get; init; } = DefaultMaxCommitsPerTransaction;

    /// <summary>Throws when a setting is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCommitsPerTransaction, 1, nameof(MaxCommitsPerTransaction));
        if (Durability is not (SqliteDurability.Full or SqliteDurability.Normal))
        {
            throw new ArgumentOutOfRangeException(nameof(Durability), Durability, "Unknown durability level.");
        }
    }
}
