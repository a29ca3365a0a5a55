using System;
using System.IO;
using System.Net.Sockets;
using Npgsql;
using Sync.Crdt.Replication.Storage;

namespace Sync.Crdt.Storage.Postgres;

/// <summary>Maps driver errors to the store's documented exceptions.</summary>
internal static class PostgresErrors
{
    /// <summary>Whether <paramref name="exception"/> is a database or connection failure (not a bug in the caller).</summary>
    public static bool IsDriverFailure(Exception exception) =>
        exception is NpgsqlException or TimeoutException or IOException or SocketException;

    public static DocumentStoreException Translate(Exception exception, string what, string? document) => exception switch
    {
        // A unique or check violation means another writer took a position first (or the rows break the store's rules).
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.CheckViolation } pg =>
            new DocumentConflictException($"PostgreSQL refused {what}{For(document)}: {pg.MessageText} (another writer changed the document).", exception),
        _ => new DocumentStoreException($"PostgreSQL failed {what}{For(document)}: {exception.Message}", exception),
    };

    private static string For(string? document) => document is null ? string.Empty : $" of document '{document}'";
}
