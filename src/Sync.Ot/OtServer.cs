using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using Sync.Crdt.Annotations;

namespace Sync.Ot;

/// <summary>
/// The central server of the OT protocol for one document: it keeps the document and its revision history,
/// transforms each client's operation against everything the client had not seen, applies it and gives it the
/// next revision.
/// </summary>
/// <remarks>
/// <para><b>Protocol.</b> A client sends <see cref="ClientSubmission"/>(clientId, r, op) where <c>op</c> was made on
/// revision <c>r</c>. <see cref="Receive"/> transforms <c>op</c> against the operations of revisions
/// <c>r+1 … current</c> (ties between inserts at one position: lower client id first), applies it and returns it
/// as revision <c>current+1</c>. The caller sends that revision to the author as its acknowledgement and the
/// <see cref="RevisionedOperation"/> to every other client, in revision order (see <see cref="OtClient"/>).</para>
/// <para><b>Rejections.</b> A submission with a negative or future base revision, an operation whose base length
/// is not the document's length at that revision, or one concurrent with an operation of the same client (a
/// duplicate) is rejected with a <see cref="ServerResponse"/> naming the <see cref="ProtocolError"/>; the document,
/// revision and history are untouched.</para>
/// <para><b>History.</b> The history grows by one entry per accepted operation. Trim it with
/// <see cref="TrimHistory"/> or bound it with <see cref="HistoryLimit"/>. A submission based on a revision older
/// than <see cref="OldestTransformableRevision"/> can no longer be transformed and is rejected with
/// <see cref="ProtocolError.ResyncRequired"/> and a <see cref="DocumentSnapshot"/> to restart from.</para>
/// <para><b>Cost.</b> <see cref="Receive"/> is O(k × components) for a client k revisions behind, plus the gap
/// buffer's edit cost; trimming is amortized O(1) per dropped entry.</para>
/// <para><b>Thread safety.</b> Every member is thread-safe: each call holds an internal lock, so submissions are
/// applied one at a time in a single total order.</para>
/// </remarks>
[Mutable]
public sealed class OtServer
{
    private readonly Lock _gate = new();
    private readonly TextBuffer _document;
    private readonly List<RevisionedOperation> _history = [];
    private int _historyStart;
    private long _revision;

    /// <summary>Creates a server for an empty document at revision 0 with unbounded history.</summary>
    public OtServer()
        : this(new DocumentSnapshot(0, string.Empty), null)
    {
    }

    /// <summary>Creates a server starting from <paramref name="initial"/>.</summary>
    /// <param name="initial">The document and revision to start from (its history before that is unknown).</param>
    /// <param name="historyLimit">The most history entries to keep (older ones are dropped as new ones arrive); <see langword="null"/> for unbounded.</param>
    /// <exception cref="ArgumentNullException"><paramref name="initial"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="historyLimit"/> is negative.</exception>
    public OtServer(DocumentSnapshot initial, int? historyLimit = null)
    {
        ArgumentNullException.ThrowIfNull(initial);
        if (historyLimit is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(limit, nameof(historyLimit));
        }

        _document = new TextBuffer(initial.Text);
        _revision = initial.Revision;
        HistoryLimit = historyLimit;
    }

    /// <summary>Gets the current revision: the number of operations applied since revision 0.</summary>
    public long Revision
    {
        get
        {
            lock (_gate)
            {
                return _revision;
            }
        }
    }

    /// <summary>Gets the most history entries kept, or <see langword="null"/> when the history is unbounded.</summary>
    public int? HistoryLimit { get; }

    /// <summary>Gets the number of history entries kept.</summary>
    public int HistoryCount
    {
        get
        {
            lock (_gate)
            {
                return _history.Count - _historyStart;
            }
        }
    }

    /// <summary>Gets the oldest base revision a submission may have: older ones get <see cref="ProtocolError.ResyncRequired"/>.</summary>
    public long OldestTransformableRevision
    {
        get
        {
            lock (_gate)
            {
                return OldestUnlocked;
            }
        }
    }

    /// <summary>Gets the current document text; O(length).</summary>
    public string Document
    {
        get
        {
            lock (_gate)
            {
                return _document.ToString();
            }
        }
    }

    /// <summary>Gets the current document length in code points.</summary>
    public int DocumentCodePointLength
    {
        get
        {
            lock (_gate)
            {
                return _document.CodePointLength;
            }
        }
    }

    private long OldestUnlocked => _revision - (_history.Count - _historyStart);

    /// <summary>Returns the current document and revision, for a new client or one that must resynchronize; O(length).</summary>
    /// <returns>The snapshot.</returns>
    public DocumentSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new DocumentSnapshot(_revision, _document.ToString());
        }
    }

    /// <summary>
    /// Transforms the submitted operation against the revisions its author had not seen, applies it and records it
    /// as the next revision; or rejects it, leaving everything unchanged.
    /// </summary>
    /// <param name="submission">The client's operation and base revision.</param>
    /// <returns>The applied operation with its revision, or the rejection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="submission"/> is <see langword="null"/>.</exception>
    public ServerResponse Receive(ClientSubmission submission)
    {
        ArgumentNullException.ThrowIfNull(submission);
        lock (_gate)
        {
            long baseRevision = submission.BaseRevision;
            if (baseRevision < 0)
            {
                return ServerResponse.Reject(ProtocolError.InvalidRevision, Format($"Base revision {baseRevision} is negative."));
            }

            if (baseRevision > _revision)
            {
                return ServerResponse.Reject(ProtocolError.RevisionFromFuture, Format($"Base revision {baseRevision} is newer than the server's revision {_revision}."));
            }

            long oldest = OldestUnlocked;
            if (baseRevision < oldest)
            {
                return ServerResponse.Reject(
                    ProtocolError.ResyncRequired,
                    Format($"Base revision {baseRevision} is older than the history kept (from revision {oldest}); resynchronize from the snapshot at revision {_revision}."),
                    new DocumentSnapshot(_revision, _document.ToString()));
            }

            int first = _historyStart + (int)(baseRevision - oldest);
            int expectedLength = first < _history.Count ? _history[first].Operation.BaseCodePointLength : _document.CodePointLength;
            TextOperation operation = submission.Operation;
            if (operation.BaseCodePointLength != expectedLength)
            {
                return ServerResponse.Reject(
                    ProtocolError.BaseLengthMismatch,
                    Format($"The operation applies to {operation.BaseCodePointLength} code points but the document had {expectedLength} at revision {baseRevision}."));
            }

            string clientId = submission.ClientId;
            for (int i = first; i < _history.Count; i++)
            {
                if (string.Equals(_history[i].AuthorId, clientId, StringComparison.Ordinal))
                {
                    return ServerResponse.Reject(
                        ProtocolError.ConcurrentWithOwnOperation,
                        Format($"The operation is based on revision {baseRevision} but revision {_history[i].Revision} is already by '{clientId}'; a client must base each operation on the acknowledgement of the previous one (is this a duplicate?)."));
                }
            }

            for (int i = first; i < _history.Count; i++)
            {
                RevisionedOperation concurrent = _history[i];
                operation = TextOperation.TransformLeft(operation, clientId, concurrent.Operation, concurrent.AuthorId);
            }

            _document.Apply(operation);
            _revision++;
            var applied = new RevisionedOperation(_revision, clientId, operation);
            _history.Add(applied);
            if (HistoryLimit is { } limit)
            {
                TrimUnlocked(_revision - limit);
            }

            return ServerResponse.Accept(applied);
        }
    }

    /// <summary>Returns the operations after <paramref name="revision"/>, in order, to catch a client up without a snapshot.</summary>
    /// <param name="revision">The client's revision.</param>
    /// <param name="operations">The operations of revisions <c>revision+1 … Revision</c>; empty when the client is current.</param>
    /// <returns><see langword="false"/> when <paramref name="revision"/> is negative, in the future or older than the history kept (send a snapshot instead).</returns>
    public bool TryGetOperationsSince(long revision, out IReadOnlyList<RevisionedOperation> operations)
    {
        lock (_gate)
        {
            long oldest = OldestUnlocked;
            if (revision < oldest || revision > _revision || revision < 0)
            {
                operations = [];
                return false;
            }

            int first = _historyStart + (int)(revision - oldest);
            operations = _history.GetRange(first, _history.Count - first);
            return true;
        }
    }

    /// <summary>
    /// Drops the history needed only by submissions based on revisions before <paramref name="oldestRevisionToKeep"/>;
    /// such submissions will be answered with <see cref="ProtocolError.ResyncRequired"/>. A value at or below
    /// <see cref="OldestTransformableRevision"/> changes nothing; one above <see cref="Revision"/> drops everything.
    /// </summary>
    /// <param name="oldestRevisionToKeep">The oldest base revision that must stay transformable.</param>
    /// <returns>How many entries were dropped.</returns>
    public int TrimHistory(long oldestRevisionToKeep)
    {
        lock (_gate)
        {
            return TrimUnlocked(oldestRevisionToKeep);
        }
    }

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);

    private int TrimUnlocked(long oldestRevisionToKeep)
    {
        long oldest = OldestUnlocked;
        long drop = Math.Min(oldestRevisionToKeep, _revision) - oldest;
        if (drop <= 0)
        {
            return 0;
        }

        int count = (int)drop;
        for (int i = _historyStart; i < _historyStart + count; i++)
        {
            _history[i] = null!;
        }

        _historyStart += count;
        if (_historyStart > 32 && _historyStart * 2 > _history.Count)
        {
            _history.RemoveRange(0, _historyStart);
            _historyStart = 0;
        }

        return count;
    }
}
