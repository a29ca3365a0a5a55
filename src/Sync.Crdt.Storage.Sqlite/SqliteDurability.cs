namespace Sync.Crdt.Storage.Sqlite;

/// <summary>How far a commit of a <see cref="SqliteDocumentStore"/> is on disk when its task completes.</summary>
/// <remarks>Both levels keep the database consistent (never torn or half-written) after any crash; they differ in which crashes may lose the last acknowledged commits.</remarks>
public enum SqliteDurability
{
    /// <summary>
    /// <c>PRAGMA synchronous=FULL</c> in WAL mode: every commit syncs the write-ahead log to the storage device
    /// (<c>fsync</c>) before its task completes. An acknowledged commit survives a process kill, an operating system
    /// crash and a power loss (on storage that honours flushes). The default: an acknowledgement may be relayed to other
    /// replicas, which then forget their copy, so it must outlive the device's power.
    /// </summary>
    Full = 0,

    /// <summary>
    /// <c>PRAGMA synchronous=NORMAL</c> in WAL mode: a commit is written to the write-ahead log (in the operating
    /// system's cache) but synced only at checkpoints. An acknowledged commit survives a process kill (including
    /// SIGKILL), but an operating system crash or a power loss may roll back the last commits (the database stays
    /// consistent). Several times faster per commit on devices with slow flushes.
    /// </summary>
    Normal = 1,
}
