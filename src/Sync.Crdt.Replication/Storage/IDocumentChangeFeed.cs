using System;

namespace Sync.Crdt.Replication.Storage;

/// <summary>
/// Tells readers of an <see cref="IDocumentStore"/> that a document may have new log records: a doorbell, not a data
/// channel. A subscriber keeps its own cursor (the last position it processed) and, on every signal, re-reads the
/// store's log after that cursor with <see cref="IDocumentStore.ReadLogAsync"/>. The records always come from the store,
/// so a lost, late, repeated or reordered signal can delay an update but never lose or duplicate one.
/// </summary>
/// <remarks>
/// <para><b>Signals.</b> A <see cref="DocumentChangeKind.Committed"/> signal names a document and a head that some writer
/// (this process or another node sharing the store) committed; the head is a hint (the store may already be further on).
/// A <see cref="DocumentChangeKind.Resync"/> signal means the feed may have missed signals (its connection to the store
/// was lost and is back): every subscriber re-reads from its cursor whatever its document. A feed raises Resync only
/// once it can deliver signals again, so a commit made after the re-read is always signaled.</para>
/// <para><b>What a feed does not promise.</b> Signals are best effort: a commit whose signal was lost in a crash
/// between the commit and the signal is found by the next Resync or by the subscriber's own periodic re-read (see
/// <see cref="DocumentLogFollower"/>, which does both). Signals for one document may arrive in any order and more than
/// once.</para>
/// <para><b>Callbacks.</b> <c>onChange</c> runs on the feed's own thread (for a database feed, the listener's); it must
/// return quickly and must not block or call back into the feed: signal a loop (a semaphore, a channel) and do the
/// reading there. An exception thrown by a callback is swallowed so one subscriber cannot silence the others.</para>
/// <para><b>Thread safety.</b> Every member of every implementation is thread-safe; subscriptions may be added and
/// disposed concurrently with signals. A signal that races with disposal of its subscription may still be delivered
/// once.</para>
/// </remarks>
public interface IDocumentChangeFeed
{
    /// <summary>
    /// Subscribes <paramref name="onChange"/> to the signals for <paramref name="document"/> (its Committed signals and
    /// every Resync). Dispose the result to stop. O(1).
    /// </summary>
    /// <param name="document">The document's name (see <see cref="DocumentCommit.ThrowIfInvalidName"/>).</param>
    /// <param name="onChange">Called for each signal; must return quickly.</param>
    /// <returns>The subscription; disposing it is idempotent.</returns>
    /// <exception cref="ArgumentException"><paramref name="document"/> is not a valid document name.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="onChange"/> is <see langword="null"/>.</exception>
    /// <exception cref="ObjectDisposedException">The feed was disposed.</exception>
    IDisposable Subscribe(string document, Action<DocumentChange> onChange);
}
