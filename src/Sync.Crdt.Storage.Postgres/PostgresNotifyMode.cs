namespace Sync.Crdt.Storage.Postgres;

/// <summary>When a <see cref="PostgresDocumentStore"/> sends the NOTIFY that tells other nodes about a commit.</summary>
public enum PostgresNotifyMode
{
    /// <summary>
    /// Right after the COMMIT, from a background sender that batches the doorbells of concurrent commits into one
    /// statement (the default). Commits never wait for PostgreSQL's notification queue lock; a crash between a commit
    /// and its NOTIFY loses the doorbell, which the readers' periodic re-read and reconnect re-read cover.
    /// </summary>
    AfterCommit = 0,

    /// <summary>
    /// Inside the commit's transaction: the doorbell is sent exactly when the commit becomes visible, but PostgreSQL
    /// takes a database-wide lock for queued notifications at COMMIT, so commits of all documents serialize there.
    /// </summary>
    InTransaction = 1,
}
