using System;
using System.Collections.Generic;
using Sync.Crdt.Annotations;
using Sync.Crdt.Causality;
using Sync.Crdt.Encoding;
using Sync.Crdt.Text.Internal;

namespace Sync.Crdt.Text;

/// <summary>
/// One replica of a collaboratively edited text: a YATA sequence CRDT (the algorithm of Yjs) over UTF-16 code units.
/// Local edits (<see cref="Insert"/>, <see cref="Delete"/>) change the text at once and return a <see cref="TextUpdate"/>
/// to ship to the other replicas; <see cref="ApplyUpdate(TextUpdate)"/> merges updates from them.
/// </summary>
/// <remarks>
/// <para><b>Model.</b> Every inserted code unit has a unique id (replica, clock): each replica numbers the code units it
/// inserts 0, 1, 2, ... Consecutive code units typed by one replica form one <i>item</i> (a run) that is split when
/// someone edits inside it and merged back when possible. An item remembers its <i>origins</i>: the ids of the code units
/// left and right of the place it was inserted. Deleting marks items deleted; their content is dropped (garbage
/// collected) while their ids stay, so later edits that refer to them still resolve.</para>
/// <para><b>Merge.</b> Applying updates is commutative, associative and idempotent: replicas that applied the same set of
/// updates, in any order and any number of times, have the same text. Every update carries the deletes it knows (its
/// delete set and its deleted items), and a deleted item deletes the code units a replica already has, so whole states
/// and state-vector diffs bring deletes along whatever the receiver already holds. An update whose dependencies (earlier
/// clocks of its replica, or the items its origins name) have not arrived waits in a pending queue
/// (<see cref="HasPendingUpdates"/>), indexed by the id it misses, and is integrated as soon as that id arrives.</para>
/// <para><b>Conflict rule.</b> Concurrent inserts at the same place are ordered by the YATA rules: an insert goes after
/// every concurrent insert whose origin-left lies before its own, concurrent inserts with the same origins are ordered
/// by <see cref="ReplicaId"/> (ordinal; the lower id first), and a run never interleaves with another run: text typed
/// concurrently at one position ends up as contiguous blocks. See docs/text.md for the full rule and examples.</para>
/// <para><b>Units.</b> Indices and lengths are UTF-16 code units (C# <see cref="string"/> indices). A surrogate pair is
/// never split: inserting inside a pair or deleting half of one throws <see cref="ArgumentException"/>, and a received
/// delete that covers half of a pair deletes the whole pair.</para>
/// <para><b>Complexity.</b> Items live in one array of structs, grouped into chunks of at most 64 items with cached
/// visible lengths; an index lookup walks the chunk list (starting from the chunk of the previous edit, so local
/// editing is O(1) amortized) and then at most 64 items. Insert and delete of k code units cost O(k + chunks + 64);
/// applying a remote item costs O(log n) for the id lookups plus the concurrent items it must be ordered against, and
/// O(log p) for each entry it parks in or takes from a pending queue of p entries.
/// <see cref="ToString"/> and <see cref="EncodeStateAsUpdate"/> are O(n).</para>
/// <para><b>Thread safety.</b> A document is a mutable object and not thread-safe: use it from one thread at a time.
/// Updates (<see cref="TextUpdate"/>) are immutable and may be shared freely.</para>
/// </remarks>
[Mutable]
public sealed class TextDocument
{
    private readonly ItemStore _store = new();
    private readonly Integrator _integrator;
    private readonly UpdateEncoder _encoder = new();
    private readonly DeleteSet _deleteScratch = new();
    private readonly RedirectMap _redirects = new();
    private readonly List<ILocalEditObserver> _observers = new();
    private readonly int _localClient;
    private int _version;

    /// <summary>Creates an empty document edited by <paramref name="replica"/>.</summary>
    /// <param name="replica">This replica's id; every replica editing the same document must use a different id.</param>
    /// <exception cref="ArgumentException"><paramref name="replica"/> is the default (invalid) id.</exception>
    public TextDocument(ReplicaId replica)
    {
        if (replica.IsDefault)
        {
            throw new ArgumentException("The default ReplicaId is not a valid replica id.", nameof(replica));
        }

        Replica = replica;
        _localClient = _store.ClientNumber(replica);
        _integrator = new Integrator(_store);
    }

    /// <summary>Gets the id of the replica that makes this document's local edits.</summary>
    public ReplicaId Replica { get; }

    /// <summary>Gets the length of the text in UTF-16 code units. O(1).</summary>
    public int Length => _store.Length;

    /// <summary>Gets the number of items (runs) the document stores, deleted ones included; a measure of its metadata size.</summary>
    public int ItemCount => _store.ItemCount;

    /// <summary>Gets a value indicating whether some received updates wait for updates they depend on. O(1).</summary>
    public bool HasPendingUpdates => _integrator.Pending.Count > 0;

    /// <summary>Gets the number of item runs and delete ranges waiting for their dependencies. O(1).</summary>
    public int PendingCount => _integrator.Pending.Count;

    /// <summary>
    /// Gets the state vector: for each replica, the number of code units (clocks 0 .. n-1) it inserted that this document
    /// has integrated. Pending updates are not counted. O(replicas) and allocates a new vector.
    /// </summary>
    public VersionVector StateVector
    {
        get
        {
            var dots = new Dot[_store.ClientCount];
            int count = 0;
            for (int c = 0; c < dots.Length; c++)
            {
                ClientLog log = _store.Client(c);
                if (log.Next > 0)
                {
                    dots[count++] = new Dot(log.Replica, log.Next);
                }
            }

            return VersionVector.Create(dots.AsSpan(0, count));
        }
    }

    /// <summary>Gets a number that changes whenever the text or its metadata changes (enumerators check it).</summary>
    internal int Version => _version;

    /// <summary>Gets the item store (the undo manager and the enumerator read it).</summary>
    internal ItemStore Store => _store;

    /// <summary>Gets the client number of this replica in <see cref="Store"/>.</summary>
    internal int LocalClient => _localClient;

    /// <summary>Gets how many times a received item was offered for integration (tests: the work per update is bounded).</summary>
    internal long IntegrationOffers => _integrator.Offers;

    /// <summary>Gets the number of code units held in the content buffer, deleted ones not yet collected included (tests).</summary>
    internal int StoredContentLength => _store.StoredContentLength;

    /// <summary>Gets the code unit at <paramref name="index"/>. O(chunks + 64), O(1) near the previous edit.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="Length"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public char this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _store.Length);
            int item = _store.Locate(index, out int offset, out _);
            return _store.CharAt(item, offset);
        }
    }

    /// <summary>Returns the text. O(n); allocates only the string.</summary>
    /// <returns>The current text.</returns>
    public override string ToString() =>
        string.Create(_store.Length, this, static (span, document) =>
        {
            int used = 0;
            foreach (ReadOnlyMemory<char> run in document.EnumerateRuns())
            {
                run.Span.CopyTo(span[used..]);
                used += run.Length;
            }
        });

    /// <summary>
    /// Enumerates the text as read-only runs of code units in document order without copying. The runs are views of the
    /// document's buffer: use them before the next edit (the enumerator throws if the document changes meanwhile).
    /// </summary>
    /// <returns>An allocation-free enumerable of runs.</returns>
    public TextRunEnumerator EnumerateRuns() => new(this);

    /// <summary>
    /// Inserts <paramref name="text"/> at <paramref name="index"/> and returns the update that carries the insert to other
    /// replicas. Amortized O(|text| + chunks) and O(|text|) when typing at the previous edit; an insert that continues
    /// this replica's last run extends it instead of creating an item.
    /// </summary>
    /// <param name="index">Where to insert, 0 ≤ index ≤ <see cref="Length"/>, not between the two halves of a surrogate pair.</param>
    /// <param name="text">The text: well-formed UTF-16 (no unpaired surrogates). Empty text changes nothing.</param>
    /// <returns>The update; <see cref="TextUpdate.Empty"/> when <paramref name="text"/> is empty.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> has unpaired surrogates, <paramref name="index"/> splits a pair,
    /// or this replica would exceed <see cref="int.MaxValue"/> inserted code units.</exception>
    public TextUpdate Insert(int index, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, _store.Length);
        if (text.Length == 0)
        {
            return TextUpdate.Empty;
        }

        if (!IsWellFormedUtf16(text))
        {
            throw new ArgumentException("The text must be well-formed UTF-16 (no unpaired surrogates).", nameof(text));
        }

        if (text.Length > int.MaxValue - _store.Client(_localClient).Next)
        {
            throw new ArgumentException("This replica would exceed the limit of int.MaxValue inserted code units.", nameof(text));
        }

        int clock = _store.InsertLocal(_localClient, index, text, out ItemOrigins origins);
        _version++;
        foreach (ILocalEditObserver observer in _observers)
        {
            observer.OnLocalInsert(clock, text.Length);
        }

        return UpdateEncoder.EncodeLocalInsert(_store, _localClient, clock, text, origins);
    }

    /// <summary>
    /// Deletes <paramref name="length"/> code units starting at <paramref name="index"/> and returns the update that carries
    /// the delete to other replicas. O(length + items touched + chunks).
    /// </summary>
    /// <param name="index">The first code unit to delete, 0 ≤ index ≤ <see cref="Length"/>.</param>
    /// <param name="length">How many code units to delete, index + length ≤ <see cref="Length"/>; 0 changes nothing.</param>
    /// <returns>The update; <see cref="TextUpdate.Empty"/> when <paramref name="length"/> is 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The range is out of bounds.</exception>
    /// <exception cref="ArgumentException">The range starts or ends inside a surrogate pair.</exception>
    public TextUpdate Delete(int index, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, _store.Length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, _store.Length - index);
        if (length == 0)
        {
            return TextUpdate.Empty;
        }

        if ((index > 0 && char.IsHighSurrogate(this[index - 1])) || char.IsHighSurrogate(this[index + length - 1]))
        {
            throw new ArgumentException($"The range [{index}, {index + length}) splits a surrogate pair.", nameof(length));
        }

        char[]? text = null;
        if (_observers.Count > 0)
        {
            text = new char[length];
            _store.CopyText(index, length, text);
        }

        _deleteScratch.Clear();
        _store.DeleteVisible(index, length, _deleteScratch);
        _version++;
        if (text is not null)
        {
            foreach (ILocalEditObserver observer in _observers)
            {
                observer.OnLocalDelete(_deleteScratch.Ranges, text);
            }
        }

        return _encoder.EncodeDeletes(_store, _deleteScratch);
    }

    /// <summary>
    /// Applies an update from any replica of this document (its own included): integrates the items this document lacks,
    /// applies the deletes (also of items it already has), and queues whatever depends on updates not yet received
    /// (<see cref="HasPendingUpdates"/>); queued parts are integrated as soon as what they wait for arrives. Applying an
    /// update twice, or updates in any order, gives the same text.
    /// </summary>
    /// <param name="update">The update.</param>
    /// <exception cref="CrdtFormatException">The update is not a valid encoding; the document is unchanged.</exception>
    public void ApplyUpdate(TextUpdate update) => ApplyUpdate(update.Span);

    /// <summary>
    /// Applies an encoded update (see <see cref="ApplyUpdate(TextUpdate)"/>). The whole update is decoded and validated before
    /// the document changes: on <see cref="CrdtFormatException"/> nothing was applied. O(update size + integration work).
    /// </summary>
    /// <param name="update">The encoded update.</param>
    /// <exception cref="CrdtFormatException">The update is not a valid encoding; the document is unchanged.</exception>
    public void ApplyUpdate(ReadOnlySpan<byte> update)
    {
        DecodedUpdate decoded = UpdateDecoder.Decode(update);
        try
        {
            _integrator.Apply(decoded);
        }
        finally
        {
            decoded.Release();
        }

        _version++;
    }

    /// <summary>
    /// Encodes everything this document has integrated that a peer with state vector <paramref name="peerState"/> lacks:
    /// the items with clocks at or above the peer's entries (deleted ones as bare lengths, which also delete them where
    /// they are already present) and the delete set of the items the peer already has. With <see langword="null"/> or
    /// <see cref="VersionVector.Empty"/>, encodes the whole document. Pending (not yet integrated) updates are not
    /// included. O(n).
    /// </summary>
    /// <param name="peerState">The peer's <see cref="StateVector"/>, or <see langword="null"/> for a full update.</param>
    /// <returns>The update; applying it to the peer makes the peer contain this document's state.</returns>
    public TextUpdate EncodeStateAsUpdate(VersionVector? peerState = null) => _encoder.EncodeState(_store, peerState);

    /// <summary>
    /// Returns a stable position for the place before the code unit at <paramref name="index"/> (between index - 1 and index),
    /// bound to a neighbouring code unit's id so that it follows that code unit through later edits.
    /// O(chunks + 64).
    /// </summary>
    /// <param name="index">0 ≤ index ≤ <see cref="Length"/>.</param>
    /// <param name="bias">Which neighbour to bind to: <see cref="TextPositionBias.After"/> (the code unit at index, or the end)
    /// or <see cref="TextPositionBias.Before"/> (the code unit at index - 1, or the start).</param>
    /// <returns>The position.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is out of range.</exception>
    public TextPosition GetPosition(int index, TextPositionBias bias = TextPositionBias.After)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, _store.Length);
        if (bias == TextPositionBias.After)
        {
            if (index == _store.Length)
            {
                return TextPosition.End;
            }

            int item = _store.Locate(index, out int offset, out _);
            return new TextPosition(_store.Client(_store[item].Client).Replica, _store[item].Clock + offset, bias);
        }

        if (index == 0)
        {
            return TextPosition.Start;
        }

        int before = _store.Locate(index - 1, out int beforeOffset, out _);
        return new TextPosition(_store.Client(_store[before].Client).Replica, _store[before].Clock + beforeOffset, bias);
    }

    /// <summary>
    /// Resolves a stable position to the current index: the index of its bound code unit (bias After) or the index after it
    /// (bias Before); if the code unit was deleted and a <see cref="TextUndoManager"/> restored it, the index of the restored
    /// code unit; if it was deleted otherwise, the index where it was. O(chunks + 64 + log n).
    /// </summary>
    /// <param name="position">A position from <see cref="GetPosition"/> on any replica of this document.</param>
    /// <param name="index">The index, 0 ≤ index ≤ <see cref="Length"/>, when resolved.</param>
    /// <returns><see langword="false"/> when this document has not yet integrated the bound code unit.</returns>
    public bool TryResolvePosition(TextPosition position, out int index)
    {
        if (position.IsTextBoundary)
        {
            index = position.Bias == TextPositionBias.After ? _store.Length : 0;
            return true;
        }

        if (!_store.TryGetClient(position.Replica, out int client) || position.Clock >= _store.Client(client).Next || position.Clock < 0)
        {
            index = -1;
            return false;
        }

        int clock = position.Clock;
        int item = _store.FindItem(client, clock);
        while (_store[item].Content < 0 && _redirects.TryFollow(client, clock, out int restoredClock))
        {
            // Restored by an undo step with fresh ids: follow the code unit to its new id (always of this document's own client).
            client = _localClient;
            clock = restoredClock;
            item = _store.FindItem(client, clock);
        }

        int start = _store.IndexOfItem(item);
        index = _store[item].Content < 0
            ? start
            : start + (clock - _store[item].Clock) + (position.Bias == TextPositionBias.Before ? 1 : 0);
        return true;
    }

    /// <summary>Appends the id (replica, clock) and deleted status of every code unit, in document order (tests). O(n).</summary>
    internal void CollectIds(List<(ReplicaId Replica, int Clock, bool Deleted)> ids) => _store.CollectIds(ids);

    /// <summary>Registers an observer of this replica's own <see cref="Insert"/> and <see cref="Delete"/> calls.</summary>
    internal void AddObserver(ILocalEditObserver observer) => _observers.Add(observer);

    /// <summary>Unregisters an observer.</summary>
    internal void RemoveObserver(ILocalEditObserver observer) => _observers.Remove(observer);

    /// <summary>Deletes this replica's own integrated clocks [from, to) (an undo step), adding what it deleted to <paramref name="deleted"/>.</summary>
    internal void DeleteOwnClocks(int from, int to, DeleteSet deleted)
    {
        _store.DeleteClocks(_localClient, from, to);
        deleted.Add(_localClient, from, to - from);
        _version++;
    }

    /// <summary>Inserts restored text right before the (deleted) item holding clock <paramref name="clock"/> of
    /// <paramref name="client"/>, in place of that tombstone, as a local edit without notifying observers or encoding an update
    /// (an undo step). Inserts at most up to the end of that item; the text must be well-formed.</summary>
    /// <returns>The number of code units of <paramref name="text"/> inserted; <paramref name="restoredClock"/> is the clock of the first.</returns>
    internal int RestoreBefore(int client, int clock, ReadOnlySpan<char> text, out int restoredClock)
    {
        int item = _store.FindItem(client, clock);
        if (_store[item].Clock < clock)
        {
            item = _store.SplitItem(item, clock - _store[item].Clock);
        }

        int take = Math.Min(_store[item].Length, text.Length);
        if (char.IsHighSurrogate(text[take - 1]))
        {
            take++;
        }

        restoredClock = _store.InsertLocalBefore(_localClient, item, new string(text[..take]));
        _version++;
        return take;
    }

    /// <summary>Finds where an undo step restored a deleted code unit (always as this replica's clock).</summary>
    internal bool TryFollowRedirect(int client, int clock, out int restoredClock) => _redirects.TryFollow(client, clock, out restoredClock);

    /// <summary>Records that <paramref name="length"/> code units of <paramref name="client"/> from <paramref name="clock"/> were
    /// restored as this replica's clocks from <paramref name="restoredClock"/>, so positions bound to them follow.</summary>
    internal void Redirect(int client, int clock, int length, int restoredClock) => _redirects.Add(client, clock, length, restoredClock);

    /// <summary>Encodes this replica's items from <paramref name="fromClock"/> on and the delete set <paramref name="deletes"/>
    /// as one update (an undo or redo step).</summary>
    internal TextUpdate EncodeLocalChanges(int fromClock, DeleteSet deletes)
    {
        Span<int> starts = _store.ClientCount <= 64 ? stackalloc int[_store.ClientCount] : new int[_store.ClientCount];
        for (int c = 0; c < starts.Length; c++)
        {
            starts[c] = _store.Client(c).Next;
        }

        starts[_localClient] = Math.Min(fromClock, _store.Client(_localClient).Next);
        return _encoder.EncodeChanges(_store, starts, deletes);
    }

    private static bool IsWellFormedUtf16(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
        }

        return true;
    }
}
